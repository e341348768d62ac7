"""A cold start's first language detection: `i18n.detect` in a fresh interpreter, reading the shipped cut of
py3langid's model (`helpdesk/kernel/langid_model.py`), beside py3langid's own model cut in memory as before.

Each figure is a fresh interpreter's wall time minus an empty interpreter's, the three run in turn (`import_ratio`).

With `--po-dir`, which languages it tells, on public sentences nobody here wrote: Django's translations (every
`django.po` under the folder; msgstr in its language, msgid as English; three words or more, placeholders taken
out), split in halves by the English sentence (validation, test). For each sentence: answered in its own language
(one of ours, English where `identify` is unsure), or, for another language's sentence, answered in one of ours other
than English (the fallback). Thresholds on validation, the shipped one on test, beside the five-language
identifier at 0.9 that shipped before.

    .venv/bin/python bench/language_id.py [--runs 7]
    pip download django==6.1.3 --no-deps -d /tmp/dj && unzip -q -o /tmp/dj/*.whl '*.po' -d /tmp/dj
    .venv/bin/python bench/language_id.py --runs 1 --po-dir /tmp/dj/django
"""

import argparse
import ast
import hashlib
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import ROOT, import_ratio

FIRST_DETECTION = ("from helpdesk.kernel.i18n import detect\n"
                   "assert detect('Wie setze ich mein Passwort zurück?') == 'de'")
BEFORE = ("from py3langid.langid import MODEL_FILE, LanguageIdentifier\n"
          "identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)\n"
          "identifier.set_languages(['en', 'de', 'es', 'fr', 'pt'])\n"
          "assert identifier.classify('Wie setze ich mein Passwort zurück?')[0] == 'de'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--po-dir", type=Path, help="a folder of Django's django.po files (see above)")
    args = parser.parse_args()
    if args.po_dir is not None:
        accuracy(args.po_dir)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "shared")}
    ours, before, ratio = import_ratio(FIRST_DETECTION, BEFORE, runs=args.runs, env=env)
    print(f"{'first detection in a fresh interpreter':42} {'ms':>8}")
    print(f"{'py3langid model cut in memory (before)':42} {before:8.1f}")
    print(f"{'the shipped cut (i18n.detect)':42} {ours:8.1f}")
    print(f"{'ratio':42} {ratio:8.2f}")


Sentence = tuple[str, str, str]  # language (Django's folder name), text, the English it translates


def _po_pairs(path: Path) -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) of a .po file's singular entries."""
    entry: dict[str, str] = {}
    field: str | None = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), 'msgid ""']:  # the last flushes the final entry
        if line.startswith(("msgid ", "msgstr ")):
            if line.startswith("msgid ") and entry.get("msgid") and entry.get("msgstr"):
                yield entry["msgid"], entry["msgstr"]
                entry = {}
            field, _, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
        elif line.startswith('"') and field is not None:
            entry[field] += ast.literal_eval(line)
        elif line.startswith(("msgid_plural", "msgstr[")):
            field = None
            entry = {}


_MARKUP = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>|&[a-z]+;")


def _clean(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", text).split())


def sentences(folder: Path) -> list[Sentence]:
    seen: set[Sentence] = set()
    for path in sorted(folder.glob("**/locale/*/LC_MESSAGES/django.po")):
        language = path.parts[path.parts.index("locale") + 1]
        for english, translated in _po_pairs(path):
            english, translated = _clean(english), _clean(translated)
            if len(english.split()) >= 3:
                seen.add(("en", english, english))
            if len(translated.split()) >= 3:
                seen.add((language, translated, english))
    return sorted(seen)


def _half(english: str) -> str:
    return "validation" if int(hashlib.sha256(english.encode()).hexdigest(), 16) % 2 == 0 else "test"


def _score(identify: Callable[[str], str | None], rows: list[Sentence]) -> tuple[dict[str, float], float]:
    """Per language of ours the share answered in it; the share of other languages' sentences answered in one of
    ours other than English."""
    from helpdesk.kernel.i18n import SUPPORTED

    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    foreign = others = 0
    for language, text, _ in rows:
        answered = identify(text) or "en"
        ours = language.split("_")[0]
        if ours in SUPPORTED:
            total[ours] += 1
            right[ours] += answered == ours
        else:
            others += 1
            foreign += answered != "en"
    shares: dict[str, float] = {language: right[language] / total[language] for language in SUPPORTED}
    shares["all"] = sum(right.values()) / sum(total.values())
    return shares, foreign / others


def accuracy(folder: Path) -> None:
    from helpdesk.kernel import i18n
    from helpdesk.kernel.langid_model import TOLD_APART, identifier

    rows = sentences(folder)
    halves = {half: [r for r in rows if _half(r[2]) == half] for half in ("validation", "test")}
    print(f"{len(rows)} sentences in {len({r[0] for r in rows})} languages (validation {len(halves['validation'])}, "
          f"test {len(halves['test'])})")
    five = identifier(i18n.SUPPORTED)
    told_apart = identifier()

    def rule(model: object, minimum: float) -> Callable[[str], str | None]:
        def identify(text: str) -> str | None:
            if len(text.split()) < 2:
                return None
            code, probability = model.classify(text)  # type: ignore[attr-defined]
            return i18n.supported(str(code)) if probability >= minimum else None
        return identify

    header = f"{'':44} {'all':>6} " + " ".join(f"{lang:>5}" for lang in i18n.SUPPORTED) + f" {'others':>7}"
    for half, candidates in (("validation", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]), ("test", [i18n.DETECT_MIN_PROBABILITY])):
        print(f"\n{half}: answered in the sentence's language (ours), and others answered in one of ours\n{header}")
        lines = [("five languages, p >= 0.9 (before)", rule(five, 0.9))]
        lines += [(f"{len(TOLD_APART)} languages, p >= {m}", rule(told_apart, m)) for m in candidates]
        if half == "test":
            lines.append(("i18n.identify (shipped)", i18n.identify))
        for label, identify in lines:
            shares, foreign = _score(identify, halves[half])
            print(f"{label:44} {shares['all']:6.3f} " + " ".join(f"{shares[lang]:5.3f}" for lang in i18n.SUPPORTED)
                  + f" {foreign:7.4f}")

if __name__ == "__main__":
    main()
