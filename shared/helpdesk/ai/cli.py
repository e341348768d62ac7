"""`helpdesk intents ...`: evaluate the embedded intent classifier on labelled JSONL files."""

import json
from pathlib import Path
from typing import Annotated

import typer

intents_app = typer.Typer(help="Intent classification tools.", no_args_is_help=True)


@intents_app.command("eval")
def eval_command(
    train: Annotated[Path, typer.Option(help='Training rows, JSONL {"text", "label"}.', exists=True, dir_okay=False)],
    test: Annotated[Path, typer.Option(help='Test rows, JSONL {"text", "label"}.', exists=True, dir_okay=False)],
    out: Annotated[Path | None, typer.Option(help="Write one prediction per test row here (JSONL).")] = None,
    min_confidence: Annotated[float, typer.Option(help="Below this the message is out of scope.")] = 0.45,
) -> None:
    """Fit the embedded classifier on --train, predict --test, print accuracy and macro-F1 as JSON."""
    from helpdesk.ai.evaluation import evaluate, read_rows, write_predictions
    from helpdesk.knowledge.wiring import embedder

    try:
        train_rows, test_rows = read_rows(train), read_rows(test)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    summary, predictions = evaluate(train_rows, test_rows, embedder(), min_confidence)
    summary["model"] = embedder().model_id
    if out is not None:
        write_predictions(out, predictions)
        summary["predictions"] = str(out)
    typer.echo(json.dumps(summary, indent=2))


@intents_app.command("show")
def show_command(tenant: Annotated[str, typer.Option(help="Tenant id.")]) -> None:
    """Print the tenant's intent catalog (built-ins plus its own) from the running local stack."""
    from helpdesk.local.stack import use_local_stack

    use_local_stack()
    from helpdesk.ai.catalog_store import DynamoIntentCatalogStore
    from helpdesk.ai.intents import catalog_to_json

    typer.echo(json.dumps(catalog_to_json(DynamoIntentCatalogStore().catalog(tenant)), indent=2))


@intents_app.command("set")
def set_command(
    tenant: Annotated[str, typer.Option(help="Tenant id.")],
    file: Annotated[Path, typer.Option(help='JSON list of intents {"name", "description", "examples", "action"}.',
                                       exists=True, dir_okay=False)],
) -> None:
    """Replace the tenant's own intents (the built-ins stay unless an intent of the same name replaces one)."""
    from pydantic import TypeAdapter, ValidationError

    from helpdesk.ai.intents import Intent
    from helpdesk.local.stack import use_local_stack

    try:
        intents = TypeAdapter(list[Intent]).validate_json(file.read_bytes())
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    use_local_stack()
    from helpdesk.ai.catalog_store import DynamoIntentCatalogStore

    catalog = DynamoIntentCatalogStore().save_intents(tenant, intents)
    typer.echo(f"{tenant}: {len(catalog.intents)} intents ({len(intents)} of the tenant's own)")
