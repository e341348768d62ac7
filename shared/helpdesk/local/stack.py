"""Where the running local stack is, so every `helpdesk` command in any terminal reaches the same one.

`helpdesk serve` writes `.helpdesk/stack.json` (endpoint of moto, URL of the API); other commands
read it and point boto3/PynamoDB at that endpoint *before* the adapters are imported.
"""

import json
import os
import secrets
from dataclasses import asdict, dataclass
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
}


@dataclass(frozen=True)
class StackInfo:
    api_url: str
    aws_endpoint: str
    smtp_port: int | None = None
    pid: int | None = None


def home() -> Path:
    """The local state folder: `$HELPDESK_HOME`, else `.helpdesk` in the current directory."""
    path = Path(os.environ.get("HELPDESK_HOME") or ".helpdesk")
    path.mkdir(parents=True, exist_ok=True)
    return path


def local_secret() -> str:
    """The development signing secret, made once per checkout and kept out of the code (0600)."""
    path = home() / "jwt-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def write_stack(info: StackInfo) -> None:
    (home() / "stack.json").write_text(json.dumps(asdict(info), indent=2))


def clear_stack() -> None:
    (home() / "stack.json").unlink(missing_ok=True)


def read_stack() -> StackInfo | None:
    path = home() / "stack.json"
    if not path.exists():
        return None
    info = StackInfo(**json.loads(path.read_text()))
    if info.pid is not None and not _alive(info.pid):
        path.unlink(missing_ok=True)  # left by a stack that was killed
        return None
    return info


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
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "helpdesk-local",
        "POWERTOOLS_METRICS_NAMESPACE": "HelpdeskLocal",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


def use_local_stack(required: bool = True) -> StackInfo | None:
    """Point this process at the running local stack. Call before importing any adapter."""
    info = read_stack()
    if info is None:
        if required:
            raise SystemExit("No local stack is running here: start it with `helpdesk serve` "
                             "(or set HELPDESK_HOME to its folder).")
        return None
    for key, value in local_env(info.aws_endpoint).items():
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
