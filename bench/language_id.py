"""A cold start's first language detection: `i18n.detect` in a fresh interpreter, reading the shipped cut of
py3langid's model (`helpdesk/kernel/langid_model.py`), beside py3langid's own model cut in memory as before.

Each figure is a fresh interpreter's wall time minus an empty interpreter's, the three run in turn (`import_ratio`).

With `--po-dir`, which languages it tells, on public sentences nobody here wrote: Django's translations (every
`django.po` under the folder; msgstr in its language, msgid as English; three words or more, placeholders taken
out), split in halves by the English sentence (validation, test). For each sentence: answered in its own language
(one of ours, English where `identify` is unsure), or, for another language's sentence, answered in one of ours other
than English (the fallback). With `--english`, short English questions (CLINC150's val and test) answered in one of
ours other than English too. Thresholds on validation, the shipped one on test, beside the five-language identifier
at 0.9 that shipped before; then the floor at which a text counts as in another language than English (what the
English reader, MiniLM, leaves alone).

    .venv/bin/python bench/language_id.py [--runs 7]
    pip download django==6.1.3 --no-deps -d /tmp/dj && unzip -q -o /tmp/dj/*.whl '*.po' -d /tmp/dj
    .venv/bin/python bench/language_id.py --runs 1 --po-dir /tmp/dj/django \
        --english ../shared/datasets/intents-clinc150/intents.jsonl
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
    parser.add_argument("--english", type=Path, help="English utterances with a split (CLINC150's intents.jsonl)")
    args = parser.parse_args()
    if args.po_dir is not None:
        accuracy(args.po_dir, args.english)
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


def _english_utterances(path: Path) -> dict[str, list[str]]:
    """A JSONL file of English utterances with a `split` (CLINC150's): short chat-like questions, per split."""
    import json

    halves: dict[str, list[str]] = {"validation": [], "test": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        half = {"val": "validation", "validation": "validation", "test": "test"}.get(str(row.get("split")))
        if half is not None:
            halves[half].append(str(row["text"]))
    return halves


def accuracy(folder: Path, english: Path | None) -> None:
    from helpdesk.kernel import i18n
    from helpdesk.kernel.langid_model import TOLD_APART, identifier

    rows = sentences(folder)
    halves = {half: [r for r in rows if _half(r[2]) == half] for half in ("validation", "test")}
    chats = _english_utterances(english) if english is not None else {"validation": [], "test": []}
    print(f"{len(rows)} sentences in {len({r[0] for r in rows})} languages (validation {len(halves['validation'])}, "
          f"test {len(halves['test'])}); English utterances: validation {len(chats['validation'])}, "
          f"test {len(chats['test'])}")
    five = identifier(i18n.SUPPORTED)
    told_apart = identifier()

    def told(model: object, minimum: float) -> Callable[[str], str | None]:
        def language(text: str) -> str | None:
            if len(text.split()) < 2:
                return None
            code, probability = model.classify(text)  # type: ignore[attr-defined]
            return str(code) if probability >= minimum else None
        return language

    def ours(language: Callable[[str], str | None]) -> Callable[[str], str | None]:
        return lambda text: i18n.supported(language(text))

    def share(texts: list[str], wrong: Callable[[str], bool]) -> float:
        return sum(wrong(text) for text in texts) / len(texts) if texts else float("nan")

    header = (f"{'':36} {'all':>6} " + " ".join(f"{lang:>5}" for lang in i18n.SUPPORTED)
              + f" {'others':>7} {'en-chat':>8}")
    for half, floors in (("validation", [0.1, 0.2, 0.3, 0.4, 0.5]), ("test", [i18n.DETECT_MIN_PROBABILITY])):
        print(f"\n{half}: the reply's language. Sentences of ours answered in their own; others' and English "
              f"utterances' answered in one of ours other than English\n{header}")
        lines = [("five languages, p >= 0.9 (before)", ours(told(five, 0.9)))]
        lines += [(f"{len(TOLD_APART)} languages, p >= {m}", ours(told(told_apart, m))) for m in floors]
        if half == "test":
            lines.append(("i18n.identify (shipped)", i18n.identify))
        for label, identify in lines:
            shares, foreign = _score(identify, halves[half])
            chat = share(chats[half], lambda text: (identify(text) or "en") != "en")  # noqa: B023 (used at once)
            print(f"{label:36} {shares['all']:6.3f} " + " ".join(f"{shares[lang]:5.3f}" for lang in i18n.SUPPORTED)
                  + f" {foreign:7.4f} {chat:8.4f}")
    english_rows = {half: [text for language, text, _ in halves[half] if language.startswith("en")] + chats[half]
                    for half in halves}
    other_rows = {half: [text for language, text, _ in halves[half] if not language.startswith("en")]
                  for half in halves}

    def gate(floor: float) -> Callable[[str], str | None]:  # `i18n.told_language` with this TOLD floor
        def language(text: str) -> str | None:
            if len(text.split()) < 2:
                return None
            code, probability = told_apart.classify(text)
            mine = i18n.supported(str(code)) is not None
            return str(code) if probability >= (i18n.DETECT_MIN_PROBABILITY if mine else floor) else None
        return language

    for half, floors in (("validation", [0.3, 0.5, 0.7, 0.9]), ("test", [i18n.TOLD_MIN_PROBABILITY])):
        print(f"\n{half}: told as another language than English (the English reader's gate; ours from "
              f"p >= {i18n.DETECT_MIN_PROBABILITY}, the others from the floor)\n{'':36} {'English':>8} {'others':>7}")
        gates = [("five languages, p >= 0.9 (before)", told(five, 0.9))]
        gates += [(f"{len(TOLD_APART)} languages, others p >= {floor}", gate(floor)) for floor in floors]
        if half == "test":
            gates.append(("i18n.told_language (shipped)", i18n.told_language))
        for label, language in gates:
            print(f"{label:36} "
                  f"{share(english_rows[half], lambda t: language(t) not in (None, 'en')):8.4f} "  # noqa: B023
                  f"{share(other_rows[half], lambda t: language(t) not in (None, 'en')):7.4f}")  # noqa: B023


if __name__ == "__main__":
    main()
