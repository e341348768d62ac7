"""A local API Gateway: routes requests to each function's FastAPI app by the routes in template.yaml.

Reading the routes from the template keeps one source of truth: what works locally is what is
deployed, and a route missing from the template is missing here too.
"""

import importlib.util
import re
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpdesk.web.errors import error_response

ASGIApp = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that keeps CloudFormation tags (!Ref, !Sub, ...) as plain values."""


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_template(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(path.read_text(), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    return data


@dataclass(frozen=True)
class Route:
    method: str  # "ANY" or an HTTP method
    path: str
    function: str  # folder name under functions/
    pattern: re.Pattern[str]
    specificity: tuple[int, int]

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("ANY", method) and self.pattern.fullmatch(path) is not None


def _route(method: str, path: str, function: str) -> Route:
    regex = ""
    literal = 0
    greedy = 0
    for segment in path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            regex += "/.+"
            greedy += 1
        elif segment.startswith("{"):
            regex += "/[^/]+"
        else:
            regex += "/" + re.escape(segment)
            literal += 1
    return Route(method.upper(), path, function, re.compile(regex or "/"), (-greedy, literal))


def http_routes(template: dict[str, Any]) -> list[Route]:
    routes: list[Route] = []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties", {})
        function = Path(str(props.get("CodeUri", ""))).name
        for event in (props.get("Events") or {}).values():
            if event.get("Type") == "HttpApi":
                ep = event.get("Properties", {})
                routes.append(_route(str(ep.get("Method", "ANY")), str(ep["Path"]), function))
    # API Gateway prefers the most specific route: fewer greedy segments, then more literal ones.
    routes.sort(key=lambda r: r.specificity, reverse=True)
    return routes


def load_function_app(root: Path, function: str) -> ASGIApp:
    module_name = f"helpdesk_local_fn_{function}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, root / "functions" / function / "app.py")
        if spec is None or spec.loader is None:
            raise RuntimeError(f"functions/{function}/app.py not found")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    app: ASGIApp = sys.modules[module_name].app
    return app


class LocalGateway:
    def __init__(self, root: Path) -> None:
        self.routes = http_routes(load_template(root / "template.yaml"))
        self.apps = {r.function: load_function_app(root, r.function) for r in self.routes}

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            return
        if scope["type"] != "http":
            return
        method, path = scope["method"], scope["path"]
        for route in self.routes:
            if route.matches(method, path) or (method == "OPTIONS" and route.pattern.fullmatch(path)):
                await self.apps[route.function](scope, receive, send)
                return
        response = error_response(404, "not_found", f"no route for {method} {path}")
        await response(scope, receive, send)
