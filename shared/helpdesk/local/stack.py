"""Where the running local stack is, so every `helpdesk` command in any terminal reaches the same one.

`helpdesk serve` writes `.helpdesk/stack.json` (endpoint of moto, URL of the API); other commands
read it and point boto3/PynamoDB at that endpoint *before* the adapters are imported.
"""

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",  # moto accepts anything; no real credentials ever used locally
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
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
    from helpdesk.config import get_settings

    get_settings.cache_clear()
    return info
