"""`helpdesk`: the local stack and the tools around it.

Heavy imports stay inside the commands: `helpdesk token` must not pay for moto or onnxruntime.
Each capability adds its sub-commands as a typer app registered at the bottom.
"""

import os
import secrets
import signal
import socket
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from helpdesk.kernel.principal import Role

app = typer.Typer(help="Serverless AI helpdesk: local stack and tools.", no_args_is_help=True,
                  pretty_exceptions_show_locals=False)


def repo_root() -> Path:
    """The checkout holding template.yaml: from the current folder upwards, else beside the package."""
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "template.yaml").exists() and (folder / "functions").is_dir():
            return folder
    return Path(__file__).resolve().parents[3]


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def _dump_threads_on_sigusr1() -> None:
    """`kill -USR1 <pid>` writes every thread's stack to stderr: what a stalled poller or request is waiting
    on (the end-to-end tests ask for it when one fails). A Python handler, run by the main thread between two
    bytecodes: faulthandler's C handler reads the thread list while threads come and go (moto serves each
    request on a thread of its own) and killed the stack with SIGSEGV in a CI run."""
    import sys
    import threading
    import traceback
    from types import FrameType

    def dump(signum: int, frame: FrameType | None) -> None:
        names = {thread.ident: thread.name for thread in threading.enumerate()}
        lines = []
        for ident, top in sys._current_frames().items():
            lines.append(f"Thread {ident:#x} {names.get(ident, '?')} (most recent call first):\n")
            lines.extend(reversed(traceback.format_stack(top)))
        sys.stderr.write("".join(lines) + "\n")
        sys.stderr.flush()

    if hasattr(signal, "SIGUSR1"):  # not on Windows
        signal.signal(signal.SIGUSR1, dump)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the HTTP API.")] = 8000,
    aws_port: Annotated[int, typer.Option(help="Port of the moto AWS endpoint.")] = 4566,
    smtp_port: Annotated[int, typer.Option(help="Port of the local SMTP server (0: no SMTP).")] = 2525,
    reset: Annotated[bool, typer.Option("--reset", help="Start empty: forget the saved local state.")] = False,
    snapshot_interval: Annotated[float, typer.Option(
        min=0.1, help="Seconds between snapshots of the local state while it changes.")] = 2.0,
    cors_origin: Annotated[str | None, typer.Option(
        help="Origin allowed to call the API from a browser (template parameter CorsOrigin; default: the "
             "template's).")] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Open a few sample tickets in the demo tenant when it has none (what `make serve` "
                       "does).")] = False,
) -> None:
    """Start the local stack: moto (DynamoDB, S3, SES, ...), the tables, and every HTTP API.
    The data is kept in the state folder (HELPDESK_HOME, default .helpdesk) across restarts."""
    from helpdesk.local.gateway import template_parameter
    from helpdesk.local.stack import StackInfo, clear_stack, home, linked_env, local_env, write_stack

    for name, p in (("--port", port), ("--aws-port", aws_port), ("--smtp-port", smtp_port)):
        if p and not _port_free(host, p):
            raise typer.BadParameter(f"port {p} on {host} is in use (is another `helpdesk serve` running?); "
                                     f"choose another with {name}" + (" or turn SMTP off with --smtp-port 0"
                                                                        if name == "--smtp-port" else ""))
    os.environ["HELPDESK_HOME"] = str(home().resolve())  # this stack's folder, for every later lookup
    _dump_threads_on_sigusr1()
    endpoint = f"http://{host}:{aws_port}"
    os.environ.update(local_env(endpoint))

    from helpdesk.local.moto_server import LocalMotoServer
    from helpdesk.local.persistence import LocalState, StateUnreadable

    moto = LocalMotoServer(host, aws_port)
    state = LocalState(home(), moto, interval=snapshot_interval)
    if reset:
        state.reset()
    try:
        restored = state.restore()
    except StateUnreadable as exc:
        raise typer.BadParameter(f"{exc}\nStart empty with `helpdesk serve --reset` (it deletes that file).") \
            from exc
    moto.start()
    info = StackInfo(api_url=f"http://{host}:{port}", aws_endpoint=endpoint, smtp_port=smtp_port or None,
                     pid=os.getpid())
    stops = []
    try:
        from helpdesk import bootstrap
        from helpdesk.local.extensions import LocalStackContext, start_extensions
        from helpdesk.platform.dynamo.tables import create_tables

        # The apps apply CORS themselves (helpdesk.web.cors), from the template's CorsOrigin as in AWS.
        os.environ["HELPDESK_CORS_ORIGINS"] = cors_origin or template_parameter(repo_root(), "CorsOrigin")
        for key, value in linked_env(info.api_url).items():  # the console and portal links in its mails
            os.environ.setdefault(key, value)
        bootstrap.use(None)  # built from the local environment set above
        container = bootstrap.container()
        create_tables(container.tables)
        root = repo_root()
        stops = start_extensions(LocalStackContext(root=root, info=info, host=host, container=container,
                                                   state=state, demo=demo))
        state.start()

        import uvicorn

        from helpdesk.local.gateway import LocalGateway
        from helpdesk.local.web import WebFrontend, web_dist

        api = LocalGateway(root, _overrides(CorsOrigin=cors_origin))
        gateway = WebFrontend(api, web_dist(root),  # console, portal, widget, dev sign-in
                              enrol=lambda person: container.enrolment.token_identity(person))
        write_stack(info)
        # uvicorn shuts down gracefully on SIGTERM and then re-raises it; with Python's default handler
        # that would kill the process before the `finally` below clears the stack file and stops moto.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        kept = "restored from" if restored else "kept in"
        typer.echo(f"helpdesk: API on {info.api_url}  (AWS endpoint {endpoint}; data {kept} {state.path})")
        typer.echo(f"helpdesk: console on {info.api_url}/console/ (portal /portal/, widget demo /widget/demo.html)")
        typer.echo("helpdesk: get a token with `helpdesk token --user alice --role agent --tenant acme`")
        uvicorn.run(gateway, host=host, port=port, log_level="info", lifespan="off")
    finally:
        clear_stack()
        for stop in reversed(stops):
            stop()
        state.close()  # after everything that writes has stopped: nothing acknowledged is lost
        moto.stop()


def _overrides(**parameters: str | None) -> dict[str, str]:
    """Template parameter overrides given on the command line (unset ones keep the template's default)."""
    return {name: value for name, value in parameters.items() if value is not None}


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@app.command()
def token(
    user: Annotated[str, typer.Option(help="User id (the token's subject).")],
    role: Annotated[Role, typer.Option(help="The caller's role.")],
    tenant: Annotated[str, typer.Option(help="Tenant id.")],
    email: Annotated[str | None, typer.Option(help="E-mail address (treated as verified, like a Cognito user's "
                                                    "confirmed address).")] = None,
    name: Annotated[str | None, typer.Option(help="Display name (shown to customers on an agent's replies).")] = None,
    unverified: Annotated[bool, typer.Option(help="Mark the e-mail address as not verified.")] = False,
    groups: Annotated[str | None, typer.Option(help="Comma-separated groups (agents).")] = None,
    hours: Annotated[float, typer.Option(help="Lifetime in hours.")] = 12.0,
) -> None:
    """Print a development token for the local stack."""
    from pydantic import ValidationError

    from helpdesk.kernel.principal import Principal
    from helpdesk.local.stack import local_secret, pin_home, read_stack
    from helpdesk.settings import ApiSection
    from helpdesk.web.local_tokens import issue_token

    folder = pin_home()  # the running stack's folder, from wherever this runs
    if read_stack() is None:
        typer.echo(f"helpdesk: no local stack is running; signing with the secret in {folder} "
                   "(a stack started with that state folder accepts it)", err=True)
    try:
        principal = Principal(user_id=user, role=role, tenant_id=tenant, email=email, name=name,
                              email_verified=bool(email) and not unverified,
                              groups=tuple(g.strip() for g in (groups or "").split(",") if g.strip()))
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    settings = ApiSection()
    typer.echo(issue_token(principal, local_secret(create=False), settings.jwt_issuer, settings.jwt_audience,
                           ttl=timedelta(hours=hours)))


@app.command()
def smoke(
    api: Annotated[str | None, typer.Option(help="Base URL of the API (a deployed stack's ApiUrl output, or the "
                                                 "local stack's URL; default: the stack's ApiUrl, else the "
                                                 "running local stack).")] = None,
    stack: Annotated[str | None, typer.Option(help="A deployed CloudFormation stack: its outputs give the API URL, "
                                                   "user pool and operators' client.")] = None,
    user_pool_id: Annotated[str | None, typer.Option(help="Cognito user pool (output UserPoolId).")] = None,
    client_id: Annotated[str | None, typer.Option(help="Operators' app client (output OperatorClientId).")] = None,
    tenant: Annotated[str, typer.Option(help="Tenant the test runs in (keep it apart from real tenants).")] = "smoke",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each HTTP request.")] = 30.0,
) -> None:
    """Check a deployment end to end: sign in a test admin, create a ticket, search the knowledge base, ask the
    chat, then clean up; each step is printed. Exit status 1 if any step failed.

    Against AWS (`--stack`, or `--user-pool-id` and `--client-id`): a throw-away Cognito admin with MFA, using
    your AWS credentials. Without them: the running local stack (`helpdesk serve`) and a local token."""
    import httpx

    from helpdesk.cli.smoke import run_smoke

    if stack or user_pool_id or client_id:
        api, sign_in, sign_out = _cognito_sign_in(api, stack, user_pool_id, client_id, tenant)
    else:
        api, sign_in, sign_out = _local_sign_in(api, tenant)
    with httpx.Client(base_url=api.rstrip("/"), timeout=timeout) as http:
        ok = run_smoke(http, sign_in, sign_out, echo=typer.echo)
    raise typer.Exit(0 if ok else 1)


def _local_sign_in(api: str | None, tenant: str) -> tuple[str, Callable[[], tuple[str, str]],
                                                          Callable[[], str | None]]:
    from helpdesk.kernel.principal import Principal
    from helpdesk.local.stack import local_secret, pin_home, read_stack
    from helpdesk.settings import ApiSection
    from helpdesk.web.local_tokens import issue_token

    pin_home()
    running = read_stack()
    if running is None:
        raise typer.BadParameter("no local stack is running: start `helpdesk serve`, or pass --stack (or "
                                 "--user-pool-id and --client-id) to test a deployed stack", param_hint="--api")
    user = f"smoke-admin-{secrets.token_hex(3)}"

    def sign_in() -> tuple[str, str]:
        settings = ApiSection()
        principal = Principal(user_id=user, role=Role.ADMIN, tenant_id=tenant, email=f"{user}@smoke.invalid",
                              email_verified=True, name="Smoke test")
        token = issue_token(principal, local_secret(create=False), settings.jwt_issuer, settings.jwt_audience,
                            ttl=timedelta(minutes=15))
        return token, f"{user} (admin of tenant {tenant}; a local token signed with the stack's secret)"

    return api or running.api_url, sign_in, lambda: "local token: nothing to delete (it expires in 15 minutes)"


def _cognito_sign_in(api: str | None, stack: str | None, user_pool_id: str | None, client_id: str | None,
                     tenant: str) -> tuple[str, Callable[[], tuple[str, str]], Callable[[], str | None]]:
    import boto3

    from helpdesk.cli.cognito_admin import CognitoTestAdmin, stack_outputs

    outputs = stack_outputs(boto3.client("cloudformation"), stack) if stack else {}
    api = api or outputs.get("ApiUrl")
    user_pool_id = user_pool_id or outputs.get("UserPoolId")
    client_id = client_id or outputs.get("OperatorClientId")
    if not (api and user_pool_id and client_id):
        raise typer.BadParameter("a deployed stack needs --api, --user-pool-id and --client-id (or --stack NAME, "
                                 "whose outputs ApiUrl, UserPoolId and OperatorClientId give them)")
    admin = CognitoTestAdmin(boto3.client("cognito-idp"), user_pool_id, client_id, tenant, secrets.token_hex(4))

    def sign_in() -> tuple[str, str]:
        signed_in = admin.sign_in()
        if signed_in.role != Role.ADMIN.value:
            raise RuntimeError(f"signed in with MFA, but the token says role {signed_in.role!r}, not admin")
        return signed_in.id_token, f"{signed_in.username} (admin of tenant {tenant}, signed in with MFA)"

    def sign_out() -> str | None:
        return f"deleted {admin.username}" if admin.delete() else "no user was created"

    return api, sign_in, sign_out


# -- each capability's sub-commands, from the one list in bootstrap ---------------------------------
def _register_capabilities() -> None:
    from importlib import import_module

    from helpdesk.bootstrap import CLI_COMMANDS

    for name, ref in CLI_COMMANDS:
        module_name, _, attribute = ref.partition(":")
        app.add_typer(getattr(import_module(module_name), attribute), name=name)


_register_capabilities()
