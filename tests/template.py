"""template.yaml as data, for tests that check its shape: intrinsic functions (`!Ref X`, `!GetAtt X.Arn`,
`!Sub ...`, `!If [...]`) load as `Tag(tag, value)`."""

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parents[1] / "template.yaml"


@dataclass(frozen=True)
class Tag:
    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


def _construct(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tag:
    if isinstance(node, yaml.ScalarNode):
        return Tag(suffix, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tag(suffix, loader.construct_sequence(node, deep=True))
    return Tag(suffix, loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]


_Loader.add_multi_constructor("!", _construct)


@functools.cache
def load_template() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.load(TEMPLATE.read_text(), Loader=_Loader)  # a SafeLoader subclass
    return doc


def refs(value: Any) -> set[str]:
    """Every logical id a value refers to (`!Ref`, `!GetAtt`, `${X}` / `${X.Attr}` in `!Sub`), at any depth."""
    import re

    found: set[str] = set()
    if isinstance(value, Tag):
        if value.tag == "Ref":
            found.add(str(value.value))
        elif value.tag == "GetAtt":
            found.add(str(value.value).split(".")[0])
        elif value.tag == "Sub":
            text = value.value[0] if isinstance(value.value, list) else value.value
            found |= {m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", str(text))}
            if isinstance(value.value, list):
                found |= refs(value.value[1:])
        else:
            found |= refs(value.value)
    elif isinstance(value, dict):
        for v in value.values():
            found |= refs(v)
    elif isinstance(value, list):
        for v in value:
            found |= refs(v)
    return found


def stream_filters(function: str, event: str) -> list[dict[str, Any]]:
    """The FilterCriteria patterns of a function's stream event, for a test's `StreamPoller(filters=...)`: the test
    then gets the records Lambda would invoke the function with, no more."""
    from helpdesk.local.streams import StreamSource, template_filters

    return template_filters(TEMPLATE.parent, StreamSource(function, event))
