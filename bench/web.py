"""Web performance budgets: what a browser downloads, and how fast the console shows the first queue row.

    .venv/bin/python bench/web.py [--tickets 1000] [--runs 5] [--sizes-only]

1. Gzipped size of the widget script (budget 30 KB) and of the JavaScript the console loads on its
   first page (entry script plus the chunks its HTML preloads; budget 250 KB), from web/dist
   (build it first: `bash infra/dev/web.sh build`).
2. Against a fresh local stack (`helpdesk serve` on free ports, its own HELPDESK_HOME) holding N tickets:
   time from navigation to the first rendered `ticket-row` in Debian's Chromium, beside the time of the
   API call that row needs (`GET /tickets?status=new&limit=25`, from the browser's Resource Timing and
   measured directly with httpx). Medians over --runs page loads.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import free_port  # noqa: E402

DIST = ROOT / "web" / "dist"
WIDGET_BUDGET = 30 * 1024
CONSOLE_BUDGET = 250 * 1024
HELPDESK = str(Path(sys.executable).parent / "helpdesk")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def console_first_load(dist: Path = DIST) -> list[Path]:
    """The scripts /console/ loads before it renders: its module entry and the chunks it preloads."""
    page = (dist / "console" / "index.html").read_text()
    refs = re.findall(r'<script[^>]+src="([^"]+\.js)"', page) + re.findall(r'<link[^>]+href="([^"]+\.js)"', page)
    return [dist / ref.lstrip("/") for ref in dict.fromkeys(refs)]


def sizes() -> dict[str, Any]:
    widget = gz(DIST / "widget" / "helpdesk-chat.js")
    scripts = console_first_load()
    console = sum(gz(p) for p in scripts)
    return {
        "widget_gzip_bytes": widget, "widget_budget_bytes": WIDGET_BUDGET, "widget_ok": widget <= WIDGET_BUDGET,
        "console_first_load_js_gzip_bytes": console, "console_budget_bytes": CONSOLE_BUDGET,
        "console_ok": console <= CONSOLE_BUDGET, "console_scripts": [p.name for p in scripts],
    }



def _token(env: dict[str, str], *args: str) -> str:
    return subprocess.run([HELPDESK, "token", *args], env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()


def queue_timing(tickets: int, runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="helpdesk-bench-web-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HELPDESK_", "POWERTOOLS_"))}
    env["HELPDESK_HOME"] = str(home)
    port, aws_port = free_port(), free_port()
    args = [HELPDESK, "serve", "--port", str(port), "--aws-port", str(aws_port)]
    if "--smtp-port" in subprocess.run([HELPDESK, "serve", "--help"], capture_output=True, text=True).stdout:
        args += ["--smtp-port", "0"]
    log = (home / "serve.log").open("w")
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"helpdesk serve did not start; see {home / 'serve.log'}")
            time.sleep(0.5)
        agent = _token(env, "--user", "alice", "--role", "agent", "--tenant", "acme")
        start = time.perf_counter()
        with httpx.Client(base_url=url, headers={"authorization": f"Bearer {agent}"}, timeout=60) as client:

            def create(i: int) -> None:
                client.post("/tickets", json={"subject": f"Bench ticket {i}", "description": "Printer jams on page 2.",
                                              "requester": {"id": f"email:c{i}@example.com",
                                                            "email": f"c{i}@example.com"}}).raise_for_status()

            with ThreadPoolExecutor(max_workers=4) as pool:  # bounded: 4 requests in flight, `tickets` in all
                list(pool.map(create, range(tickets)))
            load_s = time.perf_counter() - start
            direct = []
            for _ in range(max(5, runs)):
                t0 = time.perf_counter()
                client.get("/tickets", params={"status": "new", "limit": 25}).raise_for_status()
                direct.append((time.perf_counter() - t0) * 1000)
        first_row, api_call = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{url}/console/#token={agent}")
                page.wait_for_selector("[data-testid=ticket-row]")
                measured = page.evaluate("""() => {
                    const row = performance.now();
                    const call = performance.getEntriesByType('resource')
                        .filter(e => /\\/tickets\\?status=new&limit=25$/.test(e.name))[0];
                    return { row, call: call ? call.responseEnd - call.startTime : null };
                }""")
                first_row.append(float(measured["row"]))
                if measured["call"] is not None:
                    api_call.append(float(measured["call"]))
                context.close()
            browser.close()
        return {
            "tickets": tickets, "load_tickets_s": round(load_s, 1), "runs": runs,
            "first_queue_row_ms_median": round(statistics.median(first_row), 1),
            "queue_api_call_in_browser_ms_median": round(statistics.median(api_call), 1) if api_call else None,
            "queue_api_call_direct_ms_median": round(statistics.median(direct), 1),
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally` that stops the stack
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes-only", action="store_true")
    opts = parser.parse_args()
    if not (DIST / "console" / "index.html").exists():
        raise SystemExit("web/dist is missing: run `bash infra/dev/web.sh build`")
    result: dict[str, Any] = {"sizes": sizes()}
    if not opts.sizes_only:
        result["queue"] = queue_timing(opts.tickets, opts.runs)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
