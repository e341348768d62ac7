"""How far below its threshold the answerability model's doubtful passages go to a model that judges the evidence
(Claude, `LlmPort.judges_evidence`): the `judge_floor` of `shared/helpdesk/assistant/data/answerability.json`.

Offline nothing changes: the offline writer quotes what it is given, so it is given only the passages over the
threshold. With Claude configured, the passages from the floor up are given to it as well, and its `answerable`
decides. No Claude key is available here, so what can be measured is the *bound*: a judge that accepts exactly
the gold passages it is shown and nothing else. For each floor this prints, from the chat's own records (`helpdesk
chat eval --out`, one run per split), the grounded share that judge would reach and how many questions would cost
a judge call (in domain, and out of domain: those a real judge must refuse). Questions the model does not decide
(other languages, decided by the cosine) keep their outcome. The floor chosen on validation is the highest one
whose bound reaches the grounded target: the judge is asked as little as the target allows.

    PYTHONPATH=$PWD/shared .venv/bin/helpdesk chat eval --corpus bench/chat_dev/corpus.jsonl \\
        --queries bench/chat_dev/queries-val.jsonl --qrels bench/chat_dev/qrels.tsv --out /tmp/val.jsonl
    (the same with queries-test.jsonl --out /tmp/test.jsonl)
    PYTHONPATH=$PWD/shared .venv/bin/python -m bench.chat_dev.judge_floor /tmp/val.jsonl --check /tmp/test.jsonl \\
        [--write shared/helpdesk/assistant/data/answerability.json]

`train_answerability --write` rewrites the model's entry without a floor: run this again after refitting.
"""

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpdesk.chat.evaluation import TARGETS

FLOORS = [round(0.50 - 0.01 * i, 2) for i in range(50)]  # 0.50 .. 0.01


@dataclass(frozen=True)
class Bound:
    floor: float
    grounded: float  # with a judge that accepts exactly the gold passages it is shown
    misleading: float  # left by the questions the model does not decide (the cosine's answers)
    calls_in_domain: int
    calls_out_of_domain: int


def bound(rows: list[dict[str, Any]], floor: float) -> Bound:
    inside = [r for r in rows if r["in_domain"]]
    outside = [r for r in rows if not r["in_domain"]]
    grounded = misleading = calls_in = calls_out = 0
    for row in inside:
        if row.get("rule") != "model":
            grounded += row["outcome"] == "grounded"
            misleading += row["outcome"] == "misleading"
            continue
        shown = [article for article, probability in row["passages"] if probability >= floor]
        calls_in += bool(shown)
        grounded += any(article in row["gold"] for article in shown)
    for row in outside:
        calls_out += row.get("rule") == "model" and any(p >= floor for _, p in row["passages"])
    return Bound(floor=floor, grounded=grounded / max(1, len(inside)), misleading=misleading / max(1, len(inside)),
                 calls_in_domain=calls_in, calls_out_of_domain=calls_out)


def choose(rows: list[dict[str, Any]], target: float) -> Bound:
    """The highest floor whose bound reaches `target` (the lowest floor when none does)."""
    bounds = [bound(rows, f) for f in FLOORS]
    return next((b for b in bounds if b.grounded >= target), bounds[-1])


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def show(name: str, rows: list[dict[str, Any]], floors: list[float]) -> None:
    inside, outside = sum(r["in_domain"] for r in rows), sum(not r["in_domain"] for r in rows)
    print(f"{name}: {inside} in domain, {outside} out of domain")
    print("  floor  grounded bound  misleading left  judge calls in domain  out of domain")
    for f in floors:
        b = bound(rows, f)
        print(f"  {b.floor:5.2f}  {b.grounded:14.4f}  {b.misleading:15.4f}  {b.calls_in_domain:21d}  "
              f"{b.calls_out_of_domain:13d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("validation", type=Path, help="`helpdesk chat eval --out` of the validation questions")
    parser.add_argument("--check", type=Path, help="the same of the test questions: the chosen floor applied once")
    parser.add_argument("--write", type=Path, help="set the chosen floor in this answerability.json")
    parser.add_argument("--model", default="use-multilingual-v3",
                        help="the embedder whose model entry gets the floor (what `chat eval` printed as `model`)")
    args = parser.parse_args()
    validation = read(args.validation)
    chosen = choose(validation, TARGETS["grounded"])
    show("validation", validation, [f for f in FLOORS if round(f * 100) % 5 == 0 or f == chosen.floor])
    print(f"chosen on validation: floor {chosen.floor:.2f} (bound {chosen.grounded:.4f}, target "
          f"{TARGETS['grounded']})")
    if args.check:
        show("test, at the chosen floor", read(args.check), [chosen.floor])
    if args.write:
        raw = json.loads(args.write.read_text("utf-8"))
        raw["models"][args.model]["judge_floor"] = chosen.floor
        args.write.write_text(json.dumps(raw, indent=2) + "\n", "utf-8")
        print(f"wrote judge_floor {chosen.floor:.2f} to {args.write}")


if __name__ == "__main__":
    main()
