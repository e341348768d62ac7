"""The web front ends on the local stack: the built console, portal and widget from the same origin as
the API, and a development sign-in page that exists only here (never in the deployed template).

`helpdesk serve` wraps the gateway with `WebFrontend`: `/` redirects to `/console/`; `/console/`,
`/portal/`, `/widget/`, `/assets/` and `/swagger-ui/` (the /docs pages' Swagger UI) come from
`web/dist` (built by `make serve`, see infra/dev/web.sh); `/dev/sign-in` issues the same development
token as `helpdesk token`; `bootstrap.LOCAL_ENDPOINTS` (the OAuth token endpoint) are served here;
everything else goes to the API gateway. The response headers mirror the CloudFront ones in template.yaml.
"""

import html
import os
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from helpdesk.bootstrap import LOCAL_ENDPOINTS
from helpdesk.kernel.errors import Unauthorized
from helpdesk.kernel.principal import Principal, Role
from helpdesk.local.gateway import ASGIApp
from helpdesk.local.stack import LOCAL_TENANT, local_secret
from helpdesk.settings import ApiSection
from helpdesk.web.local_tokens import issue_token

STATIC_PREFIXES = ("/console/", "/portal/", "/widget/", "/assets/", "/swagger-ui/")
APPS = ("console", "portal")
SIGN_IN = "/dev/sign-in"
MAX_FORM_BYTES = 16 * 1024

# Same policy as the CloudFront response headers policy in template.yaml (no inline scripts or styles:
# the widget uses constructable style sheets). connect-src and img-src 'self': the API is on the same origin here
# (articles' pictures on public pages); blob: the pictures signed-in pages fetch with their token.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def web_dist(root: Path) -> Path:
    """The built files: `$HELPDESK_WEB_DIST` (tests, benches), else `web/dist` in the checkout."""
    return Path(os.environ.get("HELPDESK_WEB_DIST") or root / "web" / "dist")


def policy(connect: tuple[str, ...] = ()) -> str:
    """The CSP with extra origins the pages may call (locally: moto's S3 for attachment uploads)."""
    return CSP.replace("connect-src 'self'", " ".join(("connect-src 'self'", *connect)))


class WebFrontend:
    def __init__(self, api: ASGIApp, dist: Path, *, sign_in: bool = True,
                 connect: tuple[str, ...] | None = None,
                 enrol: Callable[[Principal], Principal] | None = None) -> None:
        self.api, self.dist, self.sign_in = api, dist.resolve(), sign_in
        # Staff who sign in are put in the team directory (`Enrolment.token_identity`), so they are assignable,
        # and their token carries the directory's groups and ticket access, as the pre token trigger does in AWS.
        self.enrol = enrol
        # Presigned attachment uploads and downloads go to the S3 endpoint (moto's, on the local stack).
        endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
        self.headers = {**SECURITY_HEADERS,
                        "Content-Security-Policy": policy(connect if connect is not None else
                                                          ((endpoint,) if endpoint else ()))}

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.api(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        response: Response | None = None
        if path == "/" and method in ("GET", "HEAD"):
            response = RedirectResponse("/console/", status_code=302)
        elif path in ("/console", "/portal", "/widget") and method in ("GET", "HEAD"):
            response = RedirectResponse(path + "/", status_code=301)
        elif path == "/web-config.json" and method == "GET":
            response = JSONResponse({"signIn": SIGN_IN}, headers={"Cache-Control": "no-store"})
        elif path == SIGN_IN and self.sign_in:
            response = await self._sign_in(Request(scope, receive))
        elif path == SIGN_IN + ".css" and self.sign_in:
            response = Response(SIGN_IN_CSS, media_type="text/css", headers=SECURITY_HEADERS)
        elif path.startswith(STATIC_PREFIXES) and method in ("GET", "HEAD"):
            response = self._static(path)
        elif path in LOCAL_ENDPOINTS:
            response = await _local_endpoint(path)(Request(scope, receive))
        if response is None:
            await self.api(scope, receive, send)
            return
        await response(scope, receive, send)

    def _static(self, path: str) -> Response:
        relative = path.lstrip("/")
        if relative.endswith("/"):
            relative += "index.html"
        target = (self.dist / relative).resolve()
        if not target.is_relative_to(self.dist) or not target.is_file():
            if not (self.dist / "console" / "index.html").exists():
                return HTMLResponse(NOT_BUILT, status_code=503, headers=SECURITY_HEADERS)
            return HTMLResponse("<!doctype html><title>Not found</title><p>Not found.</p>", status_code=404,
                                headers=SECURITY_HEADERS)
        headers = dict(self.headers)
        # Vite's hashed files never change; pages and the widget's fixed name must be revalidated.
        headers["Cache-Control"] = ("public, max-age=31536000, immutable" if path.startswith("/assets/")
                                    else "no-cache")
        if path.startswith("/widget/"):
            headers.pop("X-Frame-Options")
            headers["Content-Security-Policy"] = headers["Content-Security-Policy"].replace(
                "frame-ancestors 'none'", "frame-ancestors *")
            headers["Access-Control-Allow-Origin"] = "*"  # the script itself is public
        return FileResponse(target, headers=headers)

    async def _sign_in(self, request: Request) -> Response:
        if request.method == "GET":
            params = request.query_params
            return HTMLResponse(sign_in_page(app=params.get("app", "console"), reason=params.get("reason", "")),
                                headers={**SECURITY_HEADERS, "Cache-Control": "no-store"})
        if request.method != "POST":
            return Response(status_code=405, headers={"Allow": "GET, POST"})
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return Response("form too large", status_code=413)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        app = form.get("app", "console") if form.get("app") in APPS else "console"
        role = form.get("role", "agent")
        email = form.get("email", "").strip() or None
        user = form.get("user", "").strip() or (f"email:{email.lower()}" if role == "customer" and email else "")
        try:
            # The address counts as verified, as Cognito's confirmed sign-up and `helpdesk token` have it: a
            # customer signed in here sees the tickets their mail and chats opened for that address.
            principal = Principal(user_id=user, role=Role(role), tenant_id=form.get("tenant", "").strip(),
                                  email=email, email_verified=email is not None,
                                  name=form.get("name", "").strip() or None)
        except (ValidationError, ValueError) as exc:
            return HTMLResponse(sign_in_page(app=app, error=str(exc), values=form), status_code=400,
                                headers=SECURITY_HEADERS)
        if self.enrol is not None and principal.is_staff:
            try:
                principal = await run_in_threadpool(self.enrol, principal)
            except Unauthorized as exc:  # deactivated on the Team screen: Cognito refuses such accounts too
                return HTMLResponse(sign_in_page(app=app, error=exc.message, values=form), status_code=403,
                                    headers=SECURITY_HEADERS)
        settings = ApiSection()
        token = issue_token(principal, local_secret(), settings.jwt_issuer, settings.jwt_audience,
                            ttl=timedelta(hours=float(form.get("hours") or 12)))
        target = "portal" if principal.role == Role.CUSTOMER else app
        # The fragment never reaches a server; the page takes the token and drops it from the address.
        return RedirectResponse(f"/{target}/#{urlencode({'token': token})}", status_code=303,
                                headers={"Cache-Control": "no-store"})


def _local_endpoint(path: str) -> Callable[[Request], Awaitable[Response]]:
    module, _, function = LOCAL_ENDPOINTS[path].partition(":")
    endpoint: Callable[[Request], Awaitable[Response]] = getattr(import_module(module), function)
    return endpoint


def _field(name: str, label: str, value: str, *, kind: str = "text", hint: str = "") -> str:
    hint_html = f' <span class="hint" id="{name}-hint">{html.escape(hint)}</span>' if hint else ""
    described = f' aria-describedby="{name}-hint"' if hint else ""
    return (f'<label for="{name}">{html.escape(label)}</label>'
            f'<input id="{name}" name="{name}" type="{kind}" value="{html.escape(value)}"{described}>{hint_html}')


# The quick sign-in's staff; `helpdesk serve` puts them in the demo tenant's team directory with its groups
# (helpdesk.directory.local), so the console's "Assign to me" works on a triaged ticket from the first minute.
DEMO_STAFF = (
    Principal(user_id="alice", tenant_id=LOCAL_TENANT, role=Role.AGENT, email="alice@acme.example", name="Alice"),
    Principal(user_id="ada", tenant_id=LOCAL_TENANT, role=Role.ADMIN, email="ada@acme.example", name="Ada"),
)


def sign_in_page(*, app: str = "console", reason: str = "", error: str = "",
                 values: dict[str, str] | None = None) -> str:
    v = {"user": "alice", "role": "agent" if app != "portal" else "customer", "tenant": LOCAL_TENANT,
         "email": "" if app != "portal" else "dana@example.com", **(values or {})}
    app = app if app in APPS else "console"
    notes = {"expired": "Your session expired: sign in again.", "signed_out": "You are signed out.",
             "deactivated": "This account was deactivated: an admin of the team can enable it again."}
    note = f'<p class="note" role="status">{html.escape(notes.get(reason, ""))}</p>' if reason in notes else ""
    problem = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    roles = "".join(f'<option value="{r.value}"{" selected" if v["role"] == r.value else ""}>{r.value}</option>'
                    for r in Role)
    presets = "".join(
        f'<form method="post" action="{SIGN_IN}" class="preset">'
        + "".join(f'<input type="hidden" name="{k}" value="{html.escape(val)}">' for k, val in fields.items())
        + f'<button type="submit">{html.escape(label)}</button></form>'
        for label, fields in (
            *((f"{p.role.value.capitalize()} {p.user_id} ({p.tenant_id})",
               {"user": p.user_id, "role": p.role.value, "tenant": p.tenant_id, "app": "console",
                "email": p.email or ""}) for p in DEMO_STAFF),
            ("Customer dana@example.com", {"role": "customer", "tenant": LOCAL_TENANT, "app": "portal",
                                           "email": "dana@example.com"}),
        ))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Development sign-in</title><link rel="stylesheet" href="{SIGN_IN}.css"></head>
<body><main>
<h1>Development sign-in</h1>
<p class="warn">Local stack only: issues the same development token as <code>helpdesk token</code>.
In AWS, Cognito's managed login signs people in.</p>
{note}{problem}
<h2>Quick sign-in</h2><div class="presets">{presets}</div>
<h2>Choose who you are</h2>
<form method="post" action="{SIGN_IN}" class="stack">
<input type="hidden" name="app" value="{html.escape(app)}">
{_field("user", "User id", v["user"], hint="customers: leave empty to use email:<address>")}
<label for="role">Role</label><select id="role" name="role">{roles}</select>
{_field("tenant", "Tenant", v["tenant"])}
{_field("email", "Email", v["email"], kind="email")}
<button type="submit" data-testid="sign-in">Sign in</button>
</form></main></body></html>"""


SIGN_IN_CSS = """body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1d2330;background:#f6f7f9}
main{max-width:520px;margin:32px auto;padding:0 16px}.warn{background:#fff6d6;border:1px solid #b38600;padding:6px 10px}
.stack{display:flex;flex-direction:column;gap:4px}.stack input,.stack select{font:inherit;padding:5px 8px;
border:1px solid #767e8c;border-radius:4px}label{font-weight:600;margin-top:6px}.hint{font-size:13px;color:#4a5263}
button{font:inherit;margin-top:10px;padding:6px 12px;border:1px solid #1f4fd1;background:#1f4fd1;color:#fff;
border-radius:4px;cursor:pointer}.presets{display:flex;gap:8px;flex-wrap:wrap}.preset button{margin-top:0}
.error{background:#fde8e8;border:1px solid #a4161a;padding:6px 10px}:focus-visible{outline:3px solid #f5a400}"""

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Web not built</title></head>
<body><h1>The web front ends are not built</h1><p>Run <code>make serve</code> (it builds them), or
<code>bash infra/dev/web.sh build</code>, then reload.</p></body></html>"""
