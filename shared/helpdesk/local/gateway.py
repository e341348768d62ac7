"""A local API Gateway: routes requests to each function's FastAPI app by the routes in template.yaml.

Reading the routes from the template keeps one source of truth: what works locally is what is
deployed, and a route missing from the template is missing here too. When the HttpApi has a
`CorsConfiguration`, it is applied the way API Gateway does: preflights answered here (204, for any path,
before authorization) and the CORS headers of every response replaced. Ours has none: the apps answer
CORS themselves (helpdesk.web.cors, per tenant on the chat API) and OPTIONS calls are routed to them.
"""

import importlib.util
import re
import sys
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import yaml

from helpdesk.web.cors import header
from helpdesk.web.errors import error_response

ASGIApp = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml parses the template about 4x faster when PyYAML was built with it
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CfnLoader(_SafeLoader):
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


def load_function_module(root: Path, function: str) -> ModuleType:
    """functions/<function>/app.py, imported once as its own top-level module, as Lambda loads it."""
    module_name = f"helpdesk_local_fn_{function}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, root / "functions" / function / "app.py")
        if spec is None or spec.loader is None:
            raise RuntimeError(f"functions/{function}/app.py not found")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


def load_function_app(root: Path, function: str) -> ASGIApp:
    app: ASGIApp = load_function_module(root, function).app
    return app


@dataclass(frozen=True)
class Cors:
    """An HttpApi `CorsConfiguration`, applied like API Gateway does."""

    allow_origins: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None
    allow_credentials: bool = False

    def allowed_origin(self, origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin value for `origin`, or None when it is not allowed."""
        if not origin:
            return None
        if origin in self.allow_origins:
            return origin
        return "*" if "*" in self.allow_origins else None

    def preflight(self, origin: str | None, method: str, headers: str) -> list[tuple[bytes, bytes]]:
        """Headers of the 204 answering a preflight; none when the origin, method or a header is refused
        (the browser then blocks the request)."""
        allowed = self.allowed_origin(origin)
        methods = {m.upper() for m in self.allow_methods}
        wanted = [h.strip().lower() for h in headers.split(",") if h.strip()]
        allow_headers = {h.lower() for h in self.allow_headers}
        if (allowed is None or not ({"*", method.upper()} & methods)
                or not ("*" in allow_headers or all(h in allow_headers for h in wanted))):
            return []
        out = [(b"access-control-allow-origin", allowed.encode()),
               (b"access-control-allow-methods", ",".join(self.allow_methods).encode())]
        if wanted:
            out.append((b"access-control-allow-headers", ",".join(wanted).encode()))
        if self.max_age is not None:
            out.append((b"access-control-max-age", str(self.max_age).encode()))
        if self.allow_credentials:
            out.append((b"access-control-allow-credentials", b"true"))
        return out

    def response(self, origin: str | None) -> list[tuple[bytes, bytes]]:
        """CORS headers of an ordinary response to a request from `origin`."""
        allowed = self.allowed_origin(origin)
        if allowed is None:
            return []
        out = [(b"access-control-allow-origin", allowed.encode())]
        if self.expose_headers:
            out.append((b"access-control-expose-headers", ",".join(self.expose_headers).encode()))
        if self.allow_credentials:
            out.append((b"access-control-allow-credentials", b"true"))
        return out


def http_api_cors(template: dict[str, Any], parameters: Mapping[str, str] | None = None) -> Cors | None:
    """The HttpApi's CorsConfiguration, with `!Ref Parameter` resolved from `parameters`, else the
    parameter's Default (what `sam deploy` without overrides would use)."""
    defaults = {name: str(spec.get("Default", "")) for name, spec in (template.get("Parameters") or {}).items()}
    values = {**defaults, **(parameters or {})}

    def resolve(items: Any) -> tuple[str, ...]:
        out: list[str] = []
        for item in items or []:
            value = values.get(item["Ref"], "") if isinstance(item, dict) and "Ref" in item else str(item)
            out.extend(v.strip() for v in value.split(",") if v.strip())
        return tuple(out)

    for resource in (template.get("Resources") or {}).values():
        if resource.get("Type") != "AWS::Serverless::HttpApi":
            continue
        config = (resource.get("Properties") or {}).get("CorsConfiguration")
        if not config:
            return None
        return Cors(allow_origins=resolve(config.get("AllowOrigins")),
                    allow_methods=resolve(config.get("AllowMethods")),
                    allow_headers=resolve(config.get("AllowHeaders")),
                    expose_headers=resolve(config.get("ExposeHeaders")),
                    max_age=int(config["MaxAge"]) if "MaxAge" in config else None,
                    allow_credentials=bool(config.get("AllowCredentials", False)))
    return None


def template_parameter(root: Path, name: str) -> str:
    """A template parameter's Default (what `sam deploy` without overrides uses)."""
    parameters = load_template(root / "template.yaml").get("Parameters") or {}
    return str((parameters.get(name) or {}).get("Default", ""))


class LocalGateway:
    def __init__(self, root: Path, parameters: Mapping[str, str] | None = None) -> None:
        """`parameters`: template parameter overrides, as `sam deploy --parameter-overrides` takes them."""
        template = load_template(root / "template.yaml")
        self.routes = http_routes(template)
        self.cors = http_api_cors(template, parameters)
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
        cors, origin = self.cors, header(scope, b"origin")
        requested = header(scope, b"access-control-request-method")
        if cors is not None and method == "OPTIONS" and origin and requested:
            headers = cors.preflight(origin, requested, header(scope, b"access-control-request-headers") or "")
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        if cors is not None:
            send = _with_cors(send, cors.response(origin))
        for route in self.routes:
            if route.matches(method, path) or (method == "OPTIONS" and route.pattern.fullmatch(path)):
                await self.apps[route.function](scope, receive, send)
                return
        response = error_response(404, "not_found", f"no route for {method} {path}")
        await response(scope, receive, send)


def _with_cors(send: Callable[[Any], Awaitable[None]],
               headers: list[tuple[bytes, bytes]]) -> Callable[[Any], Awaitable[None]]:
    """API Gateway sets the CORS headers itself and ignores any the integration returned."""

    async def wrapped(message: Any) -> None:
        if message["type"] == "http.response.start":
            kept = [(k, v) for k, v in message.get("headers", []) if not k.lower().startswith(b"access-control-")]
            message = {**message, "headers": kept + headers}
        await send(message)

    return wrapped
