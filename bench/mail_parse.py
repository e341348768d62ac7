"""Mail parser quality and speed on real mail.

    python bench/mail_parse.py [DATASET_DIR] [--runs 3] [--failures]

Quality: the share of talon and crisp cases whose expected visible reply we reproduce, compared the
way each case's JSON says (`compare`: exact, strip, collapse_ws, no_ws, contains, regex_search).
Two columns: "strict" takes every expected field literally; "lenient" ignores trailing blanks and
line-end spaces where the reference says "exact", and accepts, for the talon
cases whose reference keeps the signature (the note in their JSON says so), a reply that is a
non-empty prefix of the expected one (we cut signatures, talon's quote stripper does not).
cpython cases: the share parsed without an exception (must be 100%).

Speed: messages per second of `parse_message` over every .eml file in the dataset, beside the
`mail-parser` package (PyPI, `mailparser.parse_from_bytes`) on the same bytes in the same run. Ours
also extracts the visible reply, sanitises HTML and converts it to text, which mail-parser does not.
"""

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "shared"))

from helpdesk.mail.html import html_reply_text, html_to_text  # noqa: E402
from helpdesk.mail.parser import parse_message  # noqa: E402
from helpdesk.mail.reply import visible_reply  # noqa: E402

DEFAULT_DATASET = ROOT.parent / "shared" / "datasets" / "email"
REPLY_FIELDS = ("visible_reply", "first_fragment", "first_fragment_regex", "reply_without_quotes",
                "text_without_signature", "reply_html_without_quotes")


def our_reply(case: dict[str, Any], raw: bytes) -> str:
    """Our visible reply for a case, through the same functions `parse_message` uses."""
    if case["kind"] == "mime":
        return parse_message(raw).reply_text
    text = raw.decode("utf-8", errors="replace")
    if case["kind"] == "html_body":
        return visible_reply(html_reply_text(text))
    return visible_reply(text, case.get("sender"))


def _norm(mode: str, value: str) -> str:
    if mode == "strip":
        return value.strip()
    if mode == "collapse_ws":
        return " ".join(value.split())
    if mode == "no_ws":
        return re.sub(r"\s+", "", value)
    return value


def field_matches(field: str, mode: str, expected: Any, got: str) -> bool:
    if field == "reply_html_without_quotes":
        expected = html_to_text(expected)
    if mode == "regex_search":
        patterns = expected if isinstance(expected, list) else [{"pattern": expected, "flags": ""}]
        return all(re.search(p["pattern"], got, _flags(p.get("flags", ""))) for p in patterns)
    if mode == "contains":
        return _norm("collapse_ws", expected) in _norm("collapse_ws", got)
    return _norm(mode, got) == _norm(mode, expected)


def _flags(letters: str) -> int:
    flags = 0
    for letter, flag in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL)):
        if letter in letters:
            flags |= flag
    return flags


def whitespace_tolerant(mode: str, expected: Any, got: str) -> bool:
    """"exact" references carry the peer's trailing blanks and line-end spaces: compare without them."""
    if mode != "exact" or not isinstance(expected, str):
        return False
    def lines(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return lines(expected) == lines(got)


def signature_aware(case: dict[str, Any], field: str, expected: str, got: str) -> bool:
    """Talon keeps signatures in `reply_without_quotes`: a non-empty prefix of it is the same reply."""
    if field != "reply_without_quotes" or not any("signature KEPT" in n for n in case.get("notes", [])):
        return False
    ours, theirs = _norm("collapse_ws", got), _norm("collapse_ws", expected)
    return bool(ours) and theirs.startswith(ours)


def evaluate(dataset: Path, show_failures: bool) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for source in ("talon", "crisp", "cpython"):
        folder = dataset / source
        stats = {"cases": 0, "strict": 0, "sig_aware": 0, "robust_cases": 0, "crashed": 0}
        for meta_path in sorted(folder.glob("*.json")):
            case = json.loads(meta_path.read_text())
            raw = (folder / case["raw_file"]).read_bytes()
            try:
                got = our_reply(case, raw)
            except Exception as exc:
                stats["crashed"] += 1
                print(f"CRASH {source}/{case['case']}: {type(exc).__name__}: {exc}")
                continue
            fields = [f for f in case.get("compare", {}) if f in REPLY_FIELDS]
            if case.get("strictness") == "robustness_only" or not fields:
                stats["robust_cases"] += 1
                continue
            stats["cases"] += 1
            strict = all(field_matches(f, case["compare"][f], case[f], got) for f in fields)
            aware = strict or all(field_matches(f, case["compare"][f], case[f], got)
                                  or whitespace_tolerant(case["compare"][f], case[f], got)
                                  or signature_aware(case, f, case[f], got) for f in fields)
            stats["strict"] += strict
            stats["sig_aware"] += aware
            if show_failures and not aware:
                print(f"--- FAIL {source}/{case['case']} ({', '.join(fields)})")
                print("got:     ", repr(got[:400]))
                print("expected:", repr(str(case[fields[0]])[:400]))
        results[source] = stats
    return results


def throughput(files: list[bytes], parse: Callable[[bytes], object], runs: int) -> tuple[float, int]:
    """Messages per second over `runs` passes, and how many messages raised."""
    failures = 0
    start = time.perf_counter()
    for _ in range(runs):
        for raw in files:
            try:
                parse(raw)
            except Exception:
                failures += 1
    elapsed = time.perf_counter() - start
    return len(files) * runs / elapsed, failures // runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--failures", action="store_true", help="print every case we miss")
    args = parser.parse_args()

    print(f"dataset: {args.dataset}")
    for source, s in evaluate(args.dataset, args.failures).items():
        if source == "cpython":
            total = s["robust_cases"] + s["crashed"]
            print(f"{source:8s} parsed without exception: {total - s['crashed']}/{total}")
            continue
        n = s["cases"] or 1
        print(f"{source:8s} visible reply matched: strict {s['strict']}/{s['cases']} ({s['strict'] / n:.0%}), "
              f"lenient {s['sig_aware']}/{s['cases']} ({s['sig_aware'] / n:.0%}); "
              f"+{s['robust_cases']} robustness-only cases, {s['crashed']} crashed")

    files = [p.read_bytes() for p in sorted(args.dataset.rglob("*.eml"))]
    ours, our_failures = throughput(files, parse_message, args.runs)
    try:
        import mailparser
    except ImportError:
        print(f"speed: ours {ours:.0f} msg/s over {len(files)} .eml files; mail-parser not installed "
              "(pip install mail-parser) so no baseline")
        return
    import logging

    logging.getLogger("mailparser").setLevel(logging.CRITICAL)
    theirs, their_failures = throughput(files, mailparser.parse_from_bytes, args.runs)
    print(f"speed over {len(files)} .eml files x {args.runs} runs: ours {ours:.0f} msg/s ({our_failures} raised), "
          f"mail-parser {theirs:.0f} msg/s ({their_failures} raised), ratio ours/theirs {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
