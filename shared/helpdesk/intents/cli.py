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
    min_confidence: Annotated[float | None, typer.Option(
        help="Below this the message is out of scope (default: chosen on --val if given, else 0.45).")] = None,
    val: Annotated[Path | None, typer.Option(help='Validation rows, JSONL {"text", "label"}: the out-of-scope '
                                                  'threshold is chosen on them.', exists=True, dir_okay=False)] = None,
) -> None:
    """Fit the embedded classifier on --train, predict --test, print accuracy, macro-F1 and, when the test set
    has out-of-scope rows (label `oos` or a label training lacks), their recall and AUROC as JSON."""
    from helpdesk.bootstrap import make_intent_embedder
    from helpdesk.intents.evaluation import evaluate, read_rows, write_predictions
    from helpdesk.settings import KnowledgeSection

    try:
        files = {"train": read_rows(train), "test": read_rows(test), **({"val": read_rows(val)} if val else {})}
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    skipped = {name: file.blank_lines for name, file in files.items() if file.blank_lines}
    for name, lines in skipped.items():
        typer.echo(f"--{name}: {len(lines)} row{'s' * (len(lines) != 1)} without text skipped (line "
                   f"{', '.join(map(str, lines[:10]))}{', ...' if len(lines) > 10 else ''})", err=True)
    embedder = make_intent_embedder(KnowledgeSection())  # as the chat classifies (with MiniLM where installed)
    summary, predictions = evaluate(files["train"].rows, files["test"].rows, embedder, min_confidence,
                                    val=files["val"].rows if "val" in files else None)
    summary["model"] = embedder.model_id
    summary["skipped_blank_rows"] = {name: len(lines) for name, lines in skipped.items()}
    if out is not None:
        write_predictions(out, predictions)
        summary["predictions"] = str(out)
    typer.echo(json.dumps(summary, indent=2))


@intents_app.command("show")
def show_command(tenant: Annotated[str, typer.Option(help="Tenant id.")]) -> None:
    """Print the tenant's intent catalog (built-ins plus its own) from the running local stack."""
    from helpdesk.intents.model import catalog_to_json
    from helpdesk.local.stack import cli_container

    typer.echo(json.dumps(catalog_to_json(cli_container(require_stack=True).intent_catalogs.catalog(tenant)), indent=2))


@intents_app.command("set")
def set_command(
    tenant: Annotated[str, typer.Option(help="Tenant id.")],
    file: Annotated[Path, typer.Option(help='JSON list of intents {"name", "description", "examples", "action"}.',
                                       exists=True, dir_okay=False)],
) -> None:
    """Replace the tenant's own intents (the built-ins stay unless an intent of the same name replaces one)."""
    from pydantic import TypeAdapter, ValidationError

    from helpdesk.intents.model import Intent
    from helpdesk.local.stack import cli_container

    try:
        intents = TypeAdapter(list[Intent]).validate_json(file.read_bytes())
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    catalog = cli_container(require_stack=True).intent_catalogs.save_intents(tenant, intents)
    typer.echo(f"{tenant}: {len(catalog.intents)} intents ({len(intents)} of the tenant's own)")
