"""How often a customer's message counts as "only thanks" (`kernel.courtesy.only_thanks`: a solved ticket stays
solved), on public utterances nobody here wrote, beside a keyword baseline (any thanks word anywhere) in the same run.

CLINC150: its `thank_you` and `goodbye` utterances should count (recall: the share kept solved); every other
utterance, in-scope requests and out-of-scope ones, must not (kept solved wrongly: a request left in a solved
ticket). Bitext's 4,441 support requests must not either. Per split; the rule's phrases were chosen looking at
train and val only.

    .venv/bin/python bench/thanks.py --data ../shared/datasets
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shared"))
from helpdesk.kernel.courtesy import THANKS, only_thanks, phrase_pattern

CLOSING = {"thank_you", "goodbye"}
_ANY_THANKS = phrase_pattern(word for words in THANKS.values() for word in words)


def keyword(text: str) -> bool:
    """The baseline: a thanks word anywhere."""
    return bool(_ANY_THANKS.search(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True,
                        help="the datasets folder (intents-clinc150, intents-bitext)")
    args = parser.parse_args()
    counts: Counter[tuple[str, str, bool, bool]] = Counter()  # (rule, split, closing, kept solved)
    for line in (args.data / "intents-clinc150" / "intents.jsonl").read_text().splitlines():
        row = json.loads(line)
        for name, rule in (("only_thanks", only_thanks), ("keyword", keyword)):
            counts[(name, row["split"], row["label"] in CLOSING, rule(row["text"]))] += 1
    print(f"{'rule':<12} {'split':<6} {'closing kept solved':>22} {'other kept solved':>22}")
    for name in ("only_thanks", "keyword"):
        for split in ("train", "val", "test"):
            hit, miss = counts[(name, split, True, True)], counts[(name, split, True, False)]
            wrong, right = counts[(name, split, False, True)], counts[(name, split, False, False)]
            print(f"{name:<12} {split:<6} {f'{hit}/{hit + miss} = {hit / (hit + miss):.3f}':>22} "
                  f"{f'{wrong}/{wrong + right} = {wrong / (wrong + right):.4f}':>22}")
    bitext_file = args.data / "intents-bitext" / "intents.jsonl"
    bitext = [json.loads(line)["text"] for line in bitext_file.read_text().splitlines()]
    for name, rule in (("only_thanks", only_thanks), ("keyword", keyword)):
        kept = [text for text in bitext if rule(text)]
        print(f"Bitext requests kept solved by {name}: {len(kept)}/{len(bitext)}"
              + (f", e.g. {kept[:3]}" if kept else ""))


if __name__ == "__main__":
    main()
