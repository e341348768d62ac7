"""Strict query strings for every route: a parameter the route does not declare, or a single-valued one sent
twice, is a 400 naming it, never silently ignored (a misspelt filter would otherwise answer every ticket).

One app-wide dependency (`create_app` installs it) reads what the matched route declares from FastAPI's own
dependency tree, so a route only declares its parameters and gets the check for free. Malformed values of
declared parameters are answered as 400 by the validation handler in `web/errors.py`.
"""

from types import UnionType
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from helpdesk.web.errors import ApiError


async def strict_query(request: Request) -> None:  # async: no thread hop for a dictionary lookup
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.url.query:
        return
    declared: dict[str, bool] | None = getattr(route, _CACHE, None)
    if declared is None:  # worked out once per route (routes are not hashable, so kept on the route itself)
        declared = declared_query(route)
        setattr(route, _CACHE, declared)
    sent = request.query_params.multi_items()
    unknown = sorted({name for name, _ in sent if name not in declared})
    names = [name for name, _ in sent]
    repeated = sorted({name for name in names if names.count(name) > 1 and not declared.get(name, True)})
    if (unknown or repeated) and _signed_in_route(route):
        # Who is asking comes first: a caller without a valid token learns 401, not the route's parameters.
        from helpdesk.web.auth import current_principal

        current_principal(request)
    if unknown:
        raise ApiError(400, "unknown_query_parameter",
                       f"unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
                       {"parameters": unknown, "allowed": sorted(declared)})
    if repeated:
        raise ApiError(400, "repeated_query_parameter",
                       f"query parameter given more than once: {', '.join(repeated)}", {"parameters": repeated})


_CACHE = "_helpdesk_declared_query"
_SIGNED_IN_CACHE = "_helpdesk_signed_in"


def _signed_in_route(route: APIRoute) -> bool:
    """Whether the route (or one of its dependencies) asks who the caller is."""
    cached: bool | None = getattr(route, _SIGNED_IN_CACHE, None)
    if cached is None:
        from helpdesk.web.auth import current_principal

        stack: list[Dependant] = [route.dependant]
        cached = False
        while stack and not cached:
            dependant = stack.pop()
            cached = dependant.call is current_principal
            stack.extend(dependant.dependencies)
        setattr(route, _SIGNED_IN_CACHE, cached)
    return cached


def declared_query(route: APIRoute) -> dict[str, bool]:
    """The query parameters `route` (and its dependencies) declare: name -> whether it may repeat."""
    declared: dict[str, bool] = {}
    stack: list[Dependant] = [route.dependant]
    while stack:
        dependant = stack.pop()
        for field in dependant.query_params:
            annotation: Any = field.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):  # a model of parameters
                for name, inner in annotation.model_fields.items():
                    declared[inner.alias or name] = _repeatable(inner.annotation)
            else:
                declared[field.alias] = _repeatable(annotation)
        stack.extend(dependant.dependencies)
    return declared


def _repeatable(annotation: Any) -> bool:
    """A list, set or tuple (optional or not): `?tag=a&tag=b` is how such a parameter is sent."""
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        return any(_repeatable(arg) for arg in get_args(annotation))
    return origin in (list, set, frozenset, tuple) or annotation in (list, set, frozenset, tuple)
