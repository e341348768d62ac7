"""Macro templates: Jinja2's sandbox, narrowed further to what placeholders need.

The sandbox keeps templates away from Python internals (`{{ ''.__class__ }}` renders as nothing), but not from
making huge strings or long loops (`{{ 'x' * 10**9 }}`, filters with a huge width, nested loops). So a template
is checked when it is saved, node by node, against a short list: output, placeholders (`{{ ticket.number }}`),
attribute and item access, literals, `if`, one level of `for` over the data, comparisons, `~`/`+`, tests
(`is defined`), and a few filters that cannot grow their input. No calls, no `*`/`**`, no macros, imports
or blocks. What renders is bounded by the template's size times the data's (a ticket's fields).
"""

from collections.abc import Iterator, Mapping
from typing import Any

from jinja2 import ChainableUndefined, TemplateError, nodes
from jinja2.sandbox import SandboxedEnvironment

from helpdesk.kernel.errors import InvalidInput

ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Const,
    nodes.If, nodes.For, nodes.CondExpr, nodes.And, nodes.Or, nodes.Not, nodes.Compare, nodes.Operand,
    nodes.Concat, nodes.Add, nodes.Filter, nodes.Test, nodes.List, nodes.Tuple, nodes.Keyword, nodes.Slice,
)
ALLOWED_FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default", "d", "first", "last",
                             "length", "count", "join", "truncate", "wordcount", "string"})


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=False, undefined=ChainableUndefined, keep_trailing_newline=True,
                               finalize=lambda value: "" if value is None else value)
    env.filters = {name: f for name, f in env.filters.items() if name in ALLOWED_FILTERS}
    env.globals.clear()  # no range(), lipsum(), dict(), cycler(), ...
    return env


_ENV = _environment()


def check_template(source: str, field: str) -> None:
    """Refuse (`InvalidInput`, naming `field`) a template that does not parse or uses more than placeholders."""
    try:
        tree = _ENV.parse(source)
    except TemplateError as exc:
        raise InvalidInput(f"{field}: the template does not parse: {exc}", {"field": field}) from exc
    for node, in_loop in _walk(tree, in_loop=False):
        problem = _problem(node, in_loop)
        if problem:
            raise InvalidInput(f"{field}: {problem}", {"field": field, "lineno": getattr(node, "lineno", None)})


def render(source: str, context: Mapping[str, Any]) -> str:
    """Render a checked template with plain data (dicts, strings, numbers, lists: nothing with methods worth
    calling). A placeholder that names nothing renders as nothing."""
    check_template(source, "template")
    try:
        return _ENV.from_string(source).render(dict(context))
    except TemplateError as exc:  # the sandbox refused something at run time
        raise InvalidInput(f"the template failed to render: {exc}") from exc


class Record:
    """Template data: fields by name (`ticket.number`) and nothing else. A dict would also offer its methods
    (`{{ ticket.items }}` renders a bound method's repr); this offers only its keys."""

    __slots__ = ("_fields",)

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self._fields = dict(fields)

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __str__(self) -> str:
        return ""


def _walk(node: nodes.Node, in_loop: bool) -> Iterator[tuple[nodes.Node, bool]]:
    yield node, in_loop
    inner = in_loop or isinstance(node, nodes.For)
    for child in node.iter_child_nodes():
        yield from _walk(child, inner)


def _problem(node: nodes.Node, in_loop: bool) -> str | None:
    if not isinstance(node, ALLOWED_NODES):
        return f"'{type(node).__name__}' is not allowed in a macro (placeholders, if and for only)"
    if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        return f"the filter '{node.name}' is not allowed; use one of {', '.join(sorted(ALLOWED_FILTERS))}"
    if isinstance(node, nodes.For) and (in_loop or node.recursive):
        return "loops cannot be nested or recursive"
    return None
