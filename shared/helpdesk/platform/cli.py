"""`helpdesk streams ...`: the stream consumers of template.yaml and their failed batches (`platform.redrive`).

    helpdesk streams consumers
    helpdesk streams redrive IncidentSolverFunction --stack helpdesk-dev [--dry-run] [--drop-expired]

With `--stack` the function, its dead-letter queue and the tables it reads are looked up in the deployed stack
(CloudFormation's `ListStackResources`, with the AWS credentials of the environment) and the function is invoked in
Lambda. Without it the function runs in this process (`functions/<dir>/app.py`) on the running local stack when
there is one (whose pollers send failed batches to a queue named as the template's), else on the environment's
settings (a test); `--queue-url` and `--table TicketsTable=<name>` name other resources.
"""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

streams_app = typer.Typer(help="Stream consumers: list them, and deliver their failed batches again.",
                          no_args_is_help=True)


def _template() -> Path:
    from helpdesk.cli.main import repo_root

    return repo_root() / "template.yaml"


@streams_app.command()
def consumers() -> None:
    """Every DynamoDB stream consumer of template.yaml: function, event, table and dead-letter queue, as JSON lines."""
    from helpdesk.platform.redrive import stream_events

    for event in stream_events(_template()):
        typer.echo(json.dumps({"function": event.function, "event": event.event, "table": event.table,
                               "dead_letters": event.dead_letters, "filters": len(event.filters)}))


@streams_app.command()
def redrive(
    function: Annotated[str, typer.Argument(help="The function's logical id in template.yaml "
                                                 "(`helpdesk streams consumers` lists them).")],
    stack: Annotated[str | None, typer.Option(help="The deployed stack: look up the queue, tables and function.")]
    = None,
    queue_url: Annotated[str | None, typer.Option(help="Without --stack: the dead-letter queue's URL (default: the "
                                                       "local stack's queue of that name).")] = None,
    table: Annotated[list[str] | None, typer.Option(help="Without --stack: LogicalId=name of a table the function "
                                                         "reads (repeat; default: the settings' names).")] = None,
    dry_run: Annotated[bool, typer.Option(help="Read the batches back and count their records; invoke nothing, "
                                               "delete nothing.")] = False,
    drop_expired: Annotated[bool, typer.Option(help="Delete the messages of batches the stream no longer holds "
                                                    "(after 24 hours).")] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many messages in one run.")] = 100,
) -> None:
    """Deliver a stream consumer's failed batches again, once the cause is fixed; one JSON line per message."""
    import boto3

    from helpdesk.platform.redrive import StreamRedrive, lambda_invoke, stream_events, summary

    events = [e for e in stream_events(_template()) if e.function == function]
    if not events:
        raise typer.BadParameter(f"{function} reads no DynamoDB stream in template.yaml", param_hint="FUNCTION")
    queues = {e.dead_letters for e in events}
    dead_letters = next(iter(queues))
    if len(queues) != 1 or dead_letters is None:
        raise typer.BadParameter(f"{function}'s stream events have no single on-failure queue", param_hint="FUNCTION")
    if stack:
        physical = _stack_resources(boto3.client("cloudformation"), stack)
        missing = sorted({function, dead_letters, *(e.table for e in events)} - set(physical))
        if missing:
            raise typer.BadParameter(f"stack {stack} has no {', '.join(missing)}", param_hint="--stack")
        queue, names = physical[dead_letters], {e.table: physical[e.table] for e in events}
        invoke = lambda_invoke(boto3.client("lambda"), physical[function])
    else:
        from helpdesk.local.stack import cli_container

        tables = cli_container().settings.tables  # the running local stack's moto when there is one
        names = {e.table: name for e in events if (name := {
            "TicketsTable": tables.tickets_table, "TicketEventsTable": tables.ticket_events_table,
            "MetaTable": tables.meta_table}.get(e.table))}
        names.update(item.partition("=")[::2] for item in table or [] if "=" in item)
        if set(names) != {e.table for e in events}:
            raise typer.BadParameter(f"name --table for each of {sorted({e.table for e in events})}",
                                     param_hint="--table")
        queue = queue_url or _local_queue(dead_letters)
        invoke = _in_process(function)
    from helpdesk.local.streams import RecordFilter, streams_client

    filters = {names[e.table]: RecordFilter(e.filters) for e in events}
    redriven = StreamRedrive(boto3.client("sqs"), streams_client(), invoke, filters).run(
        queue, dry_run=dry_run, drop_expired=drop_expired, limit=limit)
    for result in redriven:
        typer.echo(json.dumps({"message_id": result.message_id, "outcome": result.outcome.value,
                               "records": result.records, "detail": result.detail}))
    typer.echo(json.dumps({"summary": summary(redriven)}))
    if any(r.outcome == "failed" for r in redriven):
        raise typer.Exit(1)


def _local_queue(name: str) -> str:
    """The queue the local stack's pollers send failed batches to (`local.streams.dead_letters`)."""
    import boto3

    sqs = boto3.client("sqs")
    try:
        url: str = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist as exc:
        raise typer.BadParameter(f"no queue {name} here (no failed batch yet, or no local stack): name --queue-url",
                                 param_hint="--queue-url") from exc
    return url


def _stack_resources(cloudformation: Any, stack: str) -> dict[str, str]:
    """Logical id -> physical id of every resource of the stack (a queue's physical id is its URL)."""
    physical: dict[str, str] = {}
    for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack):
        for resource in page["StackResourceSummaries"]:
            physical[resource["LogicalResourceId"]] = resource.get("PhysicalResourceId", "")
    return physical


def _in_process(function: str) -> Any:
    """The function's handler from its folder (template.yaml's CodeUri), run here as Lambda would run it."""
    from helpdesk.local.context import LocalLambdaContext
    from helpdesk.local.gateway import load_function_module, load_template

    code = str(load_template(_template())["Resources"][function]["Properties"]["CodeUri"])
    handler = load_function_module(_template().parent, Path(code).name).lambda_handler

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        try:
            answer = handler(event, LocalLambdaContext(function_name=function))
        except Exception as exc:  # reported as Lambda reports an unhandled error
            return {"errorMessage": f"{type(exc).__name__}: {exc}"}
        return answer if isinstance(answer, dict) else {}

    return invoke
