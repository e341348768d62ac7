"""One real local stack (`helpdesk serve` in a subprocess) for the whole end-to-end session."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
HELPDESK = str(Path(sys.executable).parent / "helpdesk")
# Every `helpdesk serve` the tests start, with its log: when a test fails, each running one is asked for its
# threads' stacks (it dumps them on SIGUSR1), so a poller or request that stalled shows what it waited on.
RUNNING: list[tuple["subprocess.Popen[bytes]", Path]] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalStack:
    url: str
    home: Path
    env: dict[str, str]
    log: Path

    def token(self, user: str, role: str, tenant: str, email: str | None = None, name: str | None = None) -> str:
        """The token `helpdesk token` prints for these options, signed here as it signs it (`issue_token`, the
        stack's secret, the settings' issuer and audience, which the stack's environment leaves as they are): a
        command run per token cost a third of a second of CPU, hundreds of times a run. The command itself is
        driven in test_local_state_e2e and test_conversations_e2e."""
        from helpdesk.kernel.principal import Principal, Role
        from helpdesk.settings import ApiSection
        from helpdesk.web.local_tokens import issue_token

        principal = Principal(user_id=user, role=Role(role), tenant_id=tenant, email=email, name=name,
                              email_verified=bool(email))
        fields = ApiSection.model_fields
        return issue_token(principal, (self.home / "jwt-secret").read_text().strip(),
                           str(fields["jwt_issuer"].default), str(fields["jwt_audience"].default))

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        # uvicorn closes a connection idle for 5 s, httpx reuses one idle for up to 5 s: a request sent as the server
        # closes it dies with "Connection reset by peer" (a CI run's chat hand-over e2e, after a 10 s CLI step).
        # The client lets idle connections go well before the server does.
        return httpx.Client(base_url=self.url, headers=headers, timeout=30,
                            limits=httpx.Limits(keepalive_expiry=1.0))

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([HELPDESK, *args], env=self.env, cwd=ROOT, capture_output=True,
                              text=True, timeout=300)


def stack_env(home: Path) -> dict[str, str]:
    """A clean environment for a stack in `home` (its own list of running stacks, not the user's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HELPDESK_", "POWERTOOLS_"))}
    env["HELPDESK_HOME"] = str(home)
    env["HELPDESK_STACKS"] = str(home / "stacks")
    return env


def start_stack(home: Path, env: dict[str, str], *extra: str, log_name: str = "serve.log",
                port: int | None = None) -> tuple[subprocess.Popen[bytes], LocalStack]:
    """`helpdesk serve` on free ports, once it answers /health (fails the test if it does not). A port found free
    can be taken by another process (a client's outgoing connection, another worker's stack) before the stack binds
    it: then the stack starts again on other free ports, up to three times."""
    for _attempt in range(3):
        started = _start_once(home, env, extra, log_name, port)
        if started is not None:
            return started
    pytest.fail(f"helpdesk serve found its ports taken three times:\n{(home / log_name).read_text()[-4000:]}")


def _start_once(home: Path, env: dict[str, str], extra: tuple[str, ...], log_name: str,
                port: int | None) -> tuple[subprocess.Popen[bytes], LocalStack] | None:
    """The stack, or None when it could not bind a port it was given (taken since it was found free)."""
    port = port or free_port()
    log = home / log_name
    with log.open("w") as out:
        process = subprocess.Popen(
            [HELPDESK, "serve", "--port", str(port), "--aws-port", str(free_port()),
             "--smtp-port", str(free_port()), *extra],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    RUNNING.append((process, log))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        if process.poll() is not None:
            if "in use" in log.read_text():  # moto's server, the SMTP server or serve's own check
                return None
            pytest.fail(f"helpdesk serve exited early:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"helpdesk serve did not become healthy:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)
    return process, LocalStack(url=url, home=home, env=env, log=log)


def stop_stack(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> int:
    process.send_signal(sig)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def thread_dump(process: "subprocess.Popen[bytes]", log: Path) -> str:
    """The stacks of every thread of a running `helpdesk serve`, as it writes them into its log on SIGUSR1."""
    before = log.stat().st_size
    process.send_signal(signal.SIGUSR1)
    time.sleep(1.0)
    with log.open("rb") as written:
        written.seek(before)
        return written.read().decode("utf-8", "replace")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]  # pluggy's result of a hookwrapper
    if report.when == "call" and report.failed:
        for process, log in RUNNING:
            if process.poll() is None:
                report.sections.append((f"threads of the local stack ({log})", thread_dump(process, log)))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    home = tmp_path_factory.mktemp("helpdesk-home")
    process, local_stack = start_stack(home, stack_env(home))
    yield local_stack
    with contextlib.suppress(subprocess.TimeoutExpired):
        stop_stack(process, timeout=20)
