"""What each capability adds to `helpdesk serve`: one line per extension, `module:function`.

Each function takes the `LocalStackContext` and may return a callable that stops it.
They run after the tables exist and before the HTTP server starts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from helpdesk.local.stack import StackInfo

EXTENSIONS: list[str] = [
    "helpdesk.sla.local:start_sla_scheduler",
    "helpdesk.mail.local:start_smtp",
    "helpdesk.knowledge.local:start_knowledge",
    "helpdesk.triage.local:start_triage",
]


@dataclass
class LocalStackContext:
    root: Path  # the repository checkout
    info: StackInfo
    host: str


Stop = Callable[[], None]


def start_extensions(ctx: LocalStackContext) -> list[Stop]:
    stops: list[Stop] = []
    for ref in EXTENSIONS:
        module_name, _, func_name = ref.partition(":")
        stop = getattr(import_module(module_name), func_name)(ctx)
        if stop is not None:
            stops.append(stop)
    return stops
