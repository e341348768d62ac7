"""Where the running local stack is, so every `helpdesk` command in any terminal reaches the same one.

`helpdesk serve` writes `stack.json` (endpoint of moto, URL of the API) into its state folder and a copy
into a per-user list of running stacks (`~/.helpdesk/stacks/<pid>.json`, `HELPDESK_STACKS` to move it).
Other commands find the stack from any folder (`find_home`) and point boto3/PynamoDB at its endpoint
*before* the adapters are imported.
"""

import json
import os
import secrets
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpdesk.bootstrap import Container

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",  # moto accepts anything; no real credentials ever used locally
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


# What `helpdesk serve` and every CLI command aimed at it configure (template.yaml does it in AWS).
LOCAL_TENANT = "acme"
LOCAL_SETTINGS = {
    "HELPDESK_TICKETS_TABLE": "helpdesk-tickets",
    "HELPDESK_TICKET_EVENTS_TABLE": "helpdesk-ticket-events",
    "HELPDESK_META_TABLE": "helpdesk-meta",
    "HELPDESK_MAIL_BUCKET": "helpdesk-mail",
    "HELPDESK_MAIL_DEFAULT_TENANT": LOCAL_TENANT,
    "HELPDESK_MAIL_SUPPORT_ADDRESS": "support@acme.example",
    # moto's account and region: the topic `sla/local.py` creates on start
    "HELPDESK_SLA_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:helpdesk-sla",
    "HELPDESK_SLA_MAIL_FROM": "sla@helpdesk.local",
    # Every local visitor is 127.0.0.1 behind the gateway: the per-address chat limit would be everyone's.
    "HELPDESK_CHAT_SESSIONS_PER_IP_PER_HOUR": "1000",
    # Events out: the bus and the webhook queues `webhooks/local.py` creates on moto (which reads the queue's
    # name from the URL's path, whatever its host); webhooks to loopback receivers are allowed here only.
    "HELPDESK_EVENTS_BUS_NAME": "helpdesk-events",
    "HELPDESK_EVENTS_WEBHOOK_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/helpdesk-webhooks",
    "HELPDESK_EVENTS_WEBHOOK_DLQ_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/helpdesk-webhooks-dlq",
    "HELPDESK_EVENTS_ALLOW_LOOPBACK_WEBHOOKS": "true",
    # Imports from the console: the queue `imports/local.py` creates on moto; old helpdesks on loopback allowed.
    "HELPDESK_IMPORTS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/helpdesk-imports",
    "HELPDESK_IMPORTS_ALLOW_LOOPBACK": "true",
}


@dataclass(frozen=True)
class StackInfo:
    api_url: str
    aws_endpoint: str
    smtp_port: int | None = None
    pid: int | None = None
    home: str | None = None  # the stack's state folder, absolute


DEFAULT_HOME = ".helpdesk"


def home() -> Path:
    """The local state folder: `$HELPDESK_HOME`, else `.helpdesk` in the current directory.
    `helpdesk serve` uses it as is; other commands call `find_home()` first to reach a running stack."""
    path = _home_path()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _home_path() -> Path:
    return Path(os.environ.get("HELPDESK_HOME") or DEFAULT_HOME)


def stacks_dir() -> Path:
    """The per-user list of running stacks (one file per `helpdesk serve` process)."""
    return Path(os.environ.get("HELPDESK_STACKS") or Path.home() / DEFAULT_HOME / "stacks")


def running_stacks() -> list[StackInfo]:
    """Every live stack of this user; entries of stacks that were killed are removed."""
    folder = stacks_dir()
    found: list[StackInfo] = []
    for entry in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        info = _load(entry)
        # the stack's own file must agree: a recycled pid alone does not make a stack alive
        own = _load(Path(info.home) / "stack.json") if info is not None and info.home else None
        if info is None or own is None or own.pid != info.pid or info.pid is None or not _alive(info.pid):
            entry.unlink(missing_ok=True)
            continue
        found.append(info)
    return found


def find_home() -> Path:
    """The state folder of the stack a command should talk to, from any folder:
    `$HELPDESK_HOME`; else the nearest `.helpdesk` with a live stack from here upwards; else the one
    running stack of this user. With none running it is `.helpdesk` here; with several, the nearest
    wins and otherwise the user must choose (HELPDESK_HOME). Only stacks on this process's list of running
    stacks (`stacks_dir`) count: one that `HELPDESK_STACKS` keeps apart, as the tests keep a developer's
    `make serve` of the same checkout, is not this process's to write into."""
    if os.environ.get("HELPDESK_HOME"):
        return _home_path()
    cwd = Path.cwd()
    for folder in [cwd, *cwd.parents]:
        if _listed(folder / DEFAULT_HOME / "stack.json"):
            return folder / DEFAULT_HOME
    running = running_stacks()
    if len(running) == 1 and running[0].home:
        return Path(running[0].home)
    if len(running) > 1:
        listing = "\n".join(f"  HELPDESK_HOME={s.home}  (API {s.api_url})" for s in running)
        raise SystemExit(f"several local stacks are running; choose one with HELPDESK_HOME:\n{listing}")
    return Path(DEFAULT_HOME)


def pin_home() -> Path:
    """Fix this process's state folder in the environment (what `find_home` found): every later
    `home()` call, and every child process, uses the same one."""
    path = find_home().resolve()
    os.environ["HELPDESK_HOME"] = str(path)
    return path


def local_secret(create: bool = True) -> str:
    """The development signing secret, made once per state folder and kept out of the code (0600)."""
    path = (home() if create else _home_path()) / "jwt-secret"
    if not path.exists():
        if not create:
            raise SystemExit(f"no local stack is running and {path} does not exist: start `helpdesk serve` "
                             "(or set HELPDESK_HOME to the state folder of the stack you mean)")
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def write_stack(info: StackInfo) -> None:
    info = replace(info, home=str(home().resolve()))
    (home() / "stack.json").write_text(json.dumps(asdict(info), indent=2))
    if info.pid is not None:
        stacks_dir().mkdir(parents=True, exist_ok=True)
        (stacks_dir() / f"{info.pid}.json").write_text(json.dumps(asdict(info), indent=2))


def clear_stack() -> None:
    (home() / "stack.json").unlink(missing_ok=True)
    (stacks_dir() / f"{os.getpid()}.json").unlink(missing_ok=True)


def read_stack() -> StackInfo | None:
    path = _home_path() / "stack.json"
    info = _load(path)
    if info is None:
        return None
    if info.pid is not None and not _alive(info.pid):
        path.unlink(missing_ok=True)  # left by a stack that was killed
        return None
    return info


def _load(path: Path) -> StackInfo | None:
    try:
        data = json.loads(path.read_text())
        return StackInfo(**{k: v for k, v in data.items() if k in StackInfo.__dataclass_fields__})
    except (OSError, ValueError, TypeError):
        return None


def _listed(path: Path) -> bool:
    """A live stack's file, of a stack on this process's list."""
    info = _load(path)
    return info is not None and info.pid is not None and _alive(info.pid) and _on_the_list(info)


def _on_the_list(info: StackInfo) -> bool:
    """Whether a stack is on this process's list of running stacks (`write_stack` puts every stack with a pid
    there; `HELPDESK_STACKS` moves the list)."""
    return info.pid is None or (stacks_dir() / f"{info.pid}.json").exists()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def local_env(aws_endpoint: str) -> dict[str, str]:
    return {
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": aws_endpoint,
        "HELPDESK_AUTH_MODE": "local",
        "HELPDESK_LOCAL_JWT_SECRET": local_secret(),
        "HELPDESK_HOME": str(home().resolve()),
        **LOCAL_SETTINGS,
        "POWERTOOLS_SERVICE_NAME": "helpdesk-local",
        "POWERTOOLS_METRICS_NAMESPACE": "HelpdeskLocal",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


def linked_env(api_url: str) -> dict[str, str]:
    """The addresses the stack's mails link: the console (mails to agents: SLA, triggers, notifications) and the
    portal (rating links). The stack sets them, and so does a command that works on it (`helpdesk sla scan`)."""
    return {"HELPDESK_CONSOLE_URL": f"{api_url}/console/", "HELPDESK_REPORTS_PORTAL_URL": f"{api_url}/portal"}


def use_local_stack(required: bool = True) -> StackInfo | None:
    """Point this process at the running local stack. Call before importing any adapter."""
    before = os.environ.get("HELPDESK_HOME")
    pin_home()
    info = read_stack()
    if info is not None and before is None and not _on_the_list(info):  # `.helpdesk` here, another list's stack
        info = None
    if info is None:
        # No stack: the environment stays as it was. A folder pinned here outlived the command in a process that
        # goes on (a test's CLI call left later tests reading a stale search index from the developer's folder).
        if before is None:
            os.environ.pop("HELPDESK_HOME", None)
        else:
            os.environ["HELPDESK_HOME"] = before
        if required:
            raise SystemExit("No local stack is running here: start it with `helpdesk serve` "
                             "(or set HELPDESK_HOME to its folder).")
        return None
    for key, value in {**local_env(info.aws_endpoint), **linked_env(info.api_url)}.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # a command's stdout is for its output
    from helpdesk import bootstrap

    bootstrap.use(None)  # rebuilt from the environment just set
    return info


def aws_endpoint() -> str:
    """The moto endpoint this process talks to (the local stack's), or "" when it talks to AWS."""
    return os.environ.get("AWS_ENDPOINT_URL", "")


def cli_container(require_stack: bool = False) -> "Container":
    """The container of a CLI command: on the running local stack when there is one (required or not),
    else on whatever AWS account the environment points at."""
    from helpdesk import bootstrap

    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # stdout is for the command's output
    if use_local_stack(required=require_stack) is None and not os.environ.get("AWS_REGION"):
        raise SystemExit("no local stack running and no AWS environment: start `helpdesk serve`")
    return bootstrap.container()
