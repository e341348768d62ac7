"""`helpdesk ai eval --data DIR`: every AI figure on the data sets found, in one table."""

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

ai_app = typer.Typer(help="AI evaluation.", no_args_is_help=True)

# The chat dev set ships with the repository (bench/chat_dev), beside the package in a clone.
REPO_CHAT_DEV = Path(__file__).resolve().parents[3] / "bench" / "chat_dev"


@ai_app.command("eval")
def eval_command(
    data: Annotated[Path, typer.Option(exists=True, file_okay=False, help="Folder of data sets: "
                                       "intents-clinc150/, intents-bitext/, retrieval-stackfaq/ (any found).")],
    chat_dev: Annotated[Path | None, typer.Option(file_okay=False, help="Chat dev set: corpus.jsonl, "
                                                  "queries-val.jsonl, queries-test.jsonl, qrels.tsv (and "
                                                  "the -multilingual ones, when there).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the figures here as JSON as well.")] = None,
) -> None:
    """Print one table: figure, ours, baseline (same run), target."""
    from helpdesk.bootstrap import make_embedder, make_evidence, make_reader
    from helpdesk.chat.evaluation import EVAL_TENANT, ChatEvaluation
    from helpdesk.evaluation.report import run_all, table
    from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, read_jsonl, read_qrels
    from helpdesk.local.evaluation import offline_container
    from helpdesk.settings import AiSection, KnowledgeSection

    embedder = make_embedder(KnowledgeSection())
    folder = chat_dev or (REPO_CHAT_DEV if (REPO_CHAT_DEV / "corpus.jsonl").exists() else None)

    def run_chat(corpus: Path, queries: Path, judged: Path, threshold: float | None) -> list[Any]:
        ai: dict[str, Any] = {} if threshold is None else {"answer_min_relevance": threshold}
        qrels = read_qrels(judged)
        with offline_container(embedder, EVAL_TENANT, **ai) as container:
            evaluation = ChatEvaluation(container, read_jsonl(corpus, CorpusRow))
            return evaluation.ask_all(read_jsonl(queries, QueryRow), qrels)

    reader = make_reader(KnowledgeSection(), embedder.model_id)
    figures = run_all(data, folder, embedder, run_chat, progress=lambda line: typer.echo(line, err=True),
                      reader=reader, evidence=make_evidence(embedder, reader, AiSection()))
    typer.echo(f"model: {embedder.model_id}")
    typer.echo(table(figures))
    if out is not None:
        out.write_text(json.dumps({"model": embedder.model_id, "figures": [f.as_json() for f in figures]}, indent=2))
    if not figures:
        typer.echo(f"no data set found under {data}", err=True)
        sys.exit(1)
