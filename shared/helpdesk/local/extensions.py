"""Runs what each capability adds to `helpdesk serve` (the list is `bootstrap.LOCAL_EXTENSIONS`).

Each function takes the `LocalStackContext` and may return a callable that stops it.
They run after the tables exist and before the HTTP server starts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from helpdesk.bootstrap import LOCAL_EXTENSIONS, Container
from helpdesk.local.persistence import LocalState
from helpdesk.local.stack import StackInfo


@dataclass
class LocalStackContext:
    root: Path  # the repository checkout
    info: StackInfo
    host: str
    container: Container
    state: LocalState | None = None  # the saved local state (stream pollers keep their position in it)
    demo: bool = False  # `helpdesk serve --demo`: sample data a newcomer can work on (`make serve`)


Stop = Callable[[], None]


def start_extensions(ctx: LocalStackContext) -> list[Stop]:
    stops: list[Stop] = []
    for ref in LOCAL_EXTENSIONS:
        module_name, _, func_name = ref.partition(":")
        stop = getattr(import_module(module_name), func_name)(ctx)
        if stop is not None:
            stops.append(stop)
    return stops
