"""What a reply written in Markdown costs the mail function (`mail.html_part`), beside the same reply as text in
the same run: the first Markdown mail of a process (it imports markdown-it-py then: a cold email_send pays it only
when it sends one) and each mail after, for a short reply and a long one (a how-to of 50 steps).

    .venv/bin/python bench/mail_markdown.py
"""

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shared"))
from helpdesk.mail.html_part import html_part

SHORT = "Hello Dana,\n\nplease try this:\n\n1. Open **Settings > Devices**\n2. Choose *Reset*\n\nBest,\nAlex"
LONG = "Hello,\n\n" + "\n".join(f"{i}. Open **Settings** and read [the guide](https://help.example/{i})"
                                for i in range(1, 51))
QUOTE = "\n\n-- \nAcme Support\n\nOn Mon, 7 Dec 2026, Dana wrote:\n> My printer jams.\n"


def per_mail_ms(make: Callable[[], str], runs: int = 200) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    start = time.perf_counter()
    html_part(SHORT + QUOTE, None, SHORT)
    first = (time.perf_counter() - start) * 1000
    print(f"first Markdown mail of a process (imports markdown-it-py): {first:.1f} ms")
    print(f"{'reply':<8}{'as text (ms)':>14}{'as Markdown (ms)':>18}{'ratio':>8}")
    for name, reply in (("short", SHORT), ("long", LONG)):
        mail = reply + QUOTE
        text = per_mail_ms(partial(html_part, mail, None, None))
        markdown = per_mail_ms(partial(html_part, mail, None, reply))
        print(f"{name:<8}{text:>14.3f}{markdown:>18.3f}{markdown / text:>8.1f}")


if __name__ == "__main__":
    main()
