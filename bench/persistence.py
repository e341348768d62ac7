"""How much a crash of the local stack loses: acknowledged writes missing after SIGKILL, and after SIGTERM.

Each run starts `helpdesk serve` in a fresh state folder, creates tickets over HTTP as fast as one
client can (remembering when each 201 arrived), then kills the stack at a random moment. The saved
state is then loaded into a moto of our own (the same restore `helpdesk serve` does on start) and the
tickets table is scanned: every acknowledged ticket missing from it was lost. The loss window is the
time between the kill and the oldest acknowledgement that was lost (0 when nothing was).

    .venv/bin/python bench/persistence.py [--runs 3] [--interval 2.0] [--seconds 8]
"""

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import free_port  # noqa: E402

HELPDESK = str(Path(sys.executable).parent / "helpdesk")



@dataclass
class Run:
    signal: str
    acknowledged: int
    lost: int
    window_s: float
    state_bytes: int


def start(home: Path, interval: float) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HELPDESK_", "POWERTOOLS_"))}
    env |= {"HELPDESK_HOME": str(home), "HELPDESK_STACKS": str(home / "stacks")}
    port = free_port()
    log = (home / "serve.log").open("w")
    process = subprocess.Popen([HELPDESK, "serve", "--port", str(port), "--aws-port", str(free_port()),
                                "--smtp-port", "0", "--snapshot-interval", str(interval)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve exited:\n{(home / 'serve.log').read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return process, url, env
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit("serve did not start")


def saved_ticket_ids(home: Path) -> set[str]:
    """Restore the saved state into a moto of our own and read every ticket id in it."""
    code = f"""
import json, os
os.environ.update(AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION="us-east-1")
from pathlib import Path
from helpdesk.local.persistence import LocalState
from moto.backends import get_backend
state = LocalState(Path({str(home)!r}), server=None)
ids = []
if state.restore():
    for table in get_backend("dynamodb")["123456789012"]["us-east-1"].tables.values():
        if table.name == "helpdesk-tickets":
            ids = [item.attrs["ticket_id"].value for item in table.all_items()]
print(json.dumps(ids))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def one_run(sig: signal.Signals, interval: float, seconds: float) -> Run:
    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-") as folder:
        home = Path(folder)
        process, url, env = start(home, interval)
        token = subprocess.run([HELPDESK, "token", "--user", "bench", "--role", "customer", "--tenant", "bench",
                                "--email", "bench@example.com"], env=env, cwd=ROOT, check=True,
                               capture_output=True, text=True).stdout.strip()
        acked: list[tuple[float, str]] = []
        stop = threading.Event()

        def write() -> None:
            with httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}, timeout=30) as client:
                i = 0
                while not stop.is_set():
                    try:
                        response = client.post("/tickets", json={"subject": f"t{i}", "description": "d"})
                    except httpx.HTTPError:
                        return  # the stack is gone
                    if response.status_code == 201:
                        acked.append((time.monotonic(), response.json()["id"]))
                    i += 1

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(random.uniform(seconds / 2, seconds))
        process.send_signal(sig)
        killed_at = time.monotonic()
        stop.set()
        writer.join()
        process.wait(timeout=60)
        saved = saved_ticket_ids(home)
        lost = [(at, ticket) for at, ticket in acked if at <= killed_at and ticket not in saved]
        window = killed_at - min(at for at, _ in lost) if lost else 0.0
        state = home / "moto-state.pickle"
        return Run(sig.name, len([a for a in acked if a[0] <= killed_at]), len(lost), round(window, 2),
                   state.stat().st_size if state.exists() else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="SIGKILL runs (plus one SIGTERM run)")
    parser.add_argument("--interval", type=float, default=2.0, help="serve --snapshot-interval")
    parser.add_argument("--seconds", type=float, default=8.0, help="longest time writing before the kill")
    args = parser.parse_args()
    runs = [one_run(signal.SIGTERM, args.interval, args.seconds)]
    runs += [one_run(signal.SIGKILL, args.interval, args.seconds) for _ in range(args.runs)]
    print(f"{'signal':8} {'acked':>6} {'lost':>5} {'window s':>9} {'state bytes':>12}")
    for run in runs:
        print(f"{run.signal:8} {run.acknowledged:6d} {run.lost:5d} {run.window_s:9.2f} {run.state_bytes:12d}")
    kills = [r.window_s for r in runs if r.signal == "SIGKILL"]
    print(f"snapshot interval {args.interval} s: SIGKILL loss window max {max(kills):.2f} s, "
          f"median {statistics.median(kills):.2f} s; SIGTERM lost {runs[0].lost} of {runs[0].acknowledged}")


if __name__ == "__main__":
    main()
