"""Write each HTTP app's OpenAPI document to web/openapi/<name>.json (the input of the typed web client).

Imports every function's FastAPI app the way the local gateway does and dumps `app.openapi()`.
`npm run gen:api` runs this, then openapi-typescript on each document (web/src/api/schema/<name>.d.ts);
tests/unit/web/test_openapi_types.py fails when the committed documents are stale.

    .venv/bin/python web/scripts/dump_openapi.py [--check]
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "web" / "openapi"
# One document per app the web client calls: web name -> functions/<folder>
APPS = {
    "tickets": "ticket_commands",
    "assist": "agent_assist",
    "chat": "chat_intake",
    "kb": "knowledge_api",
    "sla": "sla_api",
    "mail": "mail_admin",
    "tools": "agent_tools",
    "search": "ticket_search",
    "reports": "reports_api",
    "directory": "directory_api",
    "webhooks": "webhooks_api",
    "clients": "clients_api",
    "privacy": "privacy_api",
    "audit": "audit_api",
    "imports": "imports_api",
}
# Importing an app builds nothing but needs the required settings to be present.
_ENV = {
    "HELPDESK_TICKETS_TABLE": "helpdesk-tickets",
    "HELPDESK_TICKET_EVENTS_TABLE": "helpdesk-ticket-events",
    "HELPDESK_META_TABLE": "helpdesk-meta",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_METRICS_DISABLED": "true",
}


def documents() -> dict[str, dict[str, Any]]:
    for key, value in _ENV.items():
        os.environ.setdefault(key, value)
    sys.path.insert(0, str(ROOT / "shared"))
    from helpdesk.local.gateway import load_function_app

    docs: dict[str, dict[str, Any]] = {}
    for name, folder in APPS.items():
        app: Any = load_function_app(ROOT, folder)
        docs[name] = app.openapi()
    return docs


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale() -> list[str]:
    """Names whose committed document differs from what the app serves now."""
    return [name for name, doc in documents().items()
            if not (OUT / f"{name}.json").exists() or (OUT / f"{name}.json").read_text() != render(doc)]


def main() -> int:
    if "--check" in sys.argv:
        names = stale()
        if names:
            print(f"stale OpenAPI documents: {', '.join(names)}; run `npm --prefix web run gen:api`")
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, doc in documents().items():
        (OUT / f"{name}.json").write_text(render(doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
