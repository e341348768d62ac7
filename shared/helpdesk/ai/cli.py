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
