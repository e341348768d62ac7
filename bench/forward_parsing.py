"""Reading a forwarded customer mail out of an agent's forward (`helpdesk.mail.forwarded`), on hostile text.

    python bench/forward_parsing.py [--package DIR]

Each hostile text is read at half and at full size: the time at full size beside a normal forward read in the same
run, and the full/half ratio (about 2 when the work is linear, 4 when quadratic, 8 when cubic). `--package DIR`:
also the packaged parser `email-forward-parser` 0.1.3 (`pip download --no-deps email-forward-parser==0.1.3`,
unzip the wheel into DIR), on the texts at a fiftieth of the size and with the same ratios: it is why the project
reads forwards itself (blank lines alone take it seconds).
"""

import argparse
import contextlib
import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "shared"))

from helpdesk.mail.forwarded import forwarded_mail  # noqa: E402

NORMAL = ("Fwd: Printer jammed", "Can you take this one?\n\n---------- Forwarded message ---------\n"
          "From: Dana Example <dana@customer.example>\nDate: Mon, 30 Nov 2026 at 10:00\nSubject: Printer jammed\n"
          "To: Jana <jana@acme.example>\n\nThe printer on floor 3 jams.\n")
HOSTILE: dict[str, Callable[[int], str]] = {
    "blank lines": lambda n: " \n" * (n // 2),
    "one long From line": lambda n: "From: " + "a" * n,
    "From lines": lambda n: "From: x\n" * (n // 8),
    "separators": lambda n: "---------- Forwarded message ---------\n" * (n // 40),
    "header lines": lambda n: "Begin forwarded message:\n\n" + "x: y\n" * (n // 5),
    "at-signs": lambda n: "From: <" + "a@" * (n // 2),
}


def seconds(read: Callable[[str, str], object], text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        with contextlib.suppress(Exception):  # the package raises on some of these; its time still counts
            read("Fwd: x", text)
        best = min(best, time.process_time() - start)
    return best


def table(name: str, read: Callable[[str, str], object], size: int) -> None:
    normal = seconds(read, NORMAL[1], runs=20)
    print(f"\n{name}: hostile text of {size:,} characters (CPU time, best of 3); "
          f"a normal forward {normal * 1e3:.3f} ms")
    print(f"{'text':<20} {'full size':>12} {'x normal':>10} {'full/half':>10}")
    for label, make in HOSTILE.items():
        full, half = seconds(read, make(size)), seconds(read, make(size // 2))
        print(f"{label:<20} {full * 1e3:>9.1f} ms {full / max(normal, 1e-9):>10.0f} {full / max(half, 1e-9):>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--package", type=Path, help="the unpacked email-forward-parser wheel, to compare")
    args = parser.parse_args()
    table("ours (helpdesk.mail.forwarded)", forwarded_mail, args.size)
    if args.package:
        sys.path.insert(0, str(args.package))
        package = importlib.import_module("emailforwardparser.forward_parser")  # not a dependency: unpacked by hand
        get_forwarded_metadata = package.get_forwarded_metadata
        table("email-forward-parser 0.1.3", lambda subject, text: get_forwarded_metadata(text, subject),
              args.size // 50)


if __name__ == "__main__":
    main()
