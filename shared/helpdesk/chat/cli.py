"""`helpdesk chat ...`: evaluate the chat's answers offline against a corpus loaded as a help centre."""

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

chat_app = typer.Typer(help="Chat tools.", no_args_is_help=True)


@chat_app.command("eval")
def eval_command(
    corpus: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="corpus.jsonl: {id,title,text}, one "
                                                                           "help-centre section per row")],
    queries: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="queries.jsonl: {id,text}; a "
                                                                            "question without qrels is out of domain")],
    qrels: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="qrels.tsv: query_id doc_id rel")],
    out: Annotated[Path | None, typer.Option(help="Write one outcome per question here (JSONL).")] = None,
    answer_min_relevance: Annotated[float | None, typer.Option(
        help="Cosine answer threshold to run with, instead of the embedder's answerability model (default: the "
             "model, or the embedder's calibrated cosine where it has none).")] = None,
    sweep: Annotated[bool, typer.Option(help="Also print the outcome at other answer thresholds and the one a "
                                             "validation set would choose.")] = False,
    wrapped: Annotated[bool, typer.Option(help="Ask each English question wrapped as customers write (a greeting, "
                                               "context before it, thanks after it), one wrapper in turn.")] = False,
    llm: Annotated[str, typer.Option(
        help="Who answers: offline (the default: the embedded models) or anthropic (Claude through the Anthropic "
             "API, as a deployment with a key answers, the judging of doubtful passages included; the key from "
             "HELPDESK_AI_ANTHROPIC_API_KEY or ANTHROPIC_API_KEY, the model from HELPDESK_AI_MODEL). Two model "
             "calls per question.")] = "offline",
) -> None:
    """Ask every question through the chat service as an anonymous visitor and print, as JSON: the share of
    in-domain questions answered citing a gold section (grounded), citing only wrong sections (misleading),
    abstained, and the share of out-of-domain questions abstained on."""
    from helpdesk.bootstrap import make_embedder
    from helpdesk.chat.evaluation import EVAL_TENANT, TARGETS, ChatEvaluation, choose_threshold, write_outcomes
    from helpdesk.chat.evaluation import summarise as summarise_outcomes
    from helpdesk.chat.evaluation import sweep as sweep_outcomes
    from helpdesk.chat.evaluation import wrapped as wrap
    from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, read_jsonl, read_qrels
    from helpdesk.local.evaluation import offline_container
    from helpdesk.settings import AiSection, KnowledgeSection

    try:
        documents = read_jsonl(corpus, CorpusRow)
        questions = read_jsonl(queries, QueryRow)
        judgements = read_qrels(qrels)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if wrapped:
        questions = [q.model_copy(update={"text": wrap(n, q.text)}) for n, q in enumerate(questions)]
    if llm not in ("offline", "anthropic"):
        raise typer.BadParameter("--llm is offline or anthropic")
    if llm == "anthropic" and AiSection().anthropic_api_key is None:
        raise typer.BadParameter("--llm anthropic needs HELPDESK_AI_ANTHROPIC_API_KEY or ANTHROPIC_API_KEY")
    embedder = make_embedder(KnowledgeSection())
    ai: dict[str, Any] = {} if answer_min_relevance is None else {"answer_min_relevance": answer_min_relevance}
    with offline_container(embedder, EVAL_TENANT, llm="anthropic" if llm == "anthropic" else "offline",
                           **ai) as container:
        evaluation = ChatEvaluation(container, documents)
        with typer.progressbar(length=len(questions), label="asking", file=sys.stderr) as bar:
            outcomes = evaluation.ask_all(questions, judgements, progress=bar.update)
        answer_model = container.evidence.model
        threshold = container.evidence.min_relevance if answer_model is None else answer_model.threshold
    if evaluation.skipped:
        typer.echo(f"{len(evaluation.skipped)} blank question{'s' * (len(evaluation.skipped) != 1)} skipped (no "
                   "visitor can send one): "
                   f"{', '.join(evaluation.skipped[:10])}{', ...' if len(evaluation.skipped) > 10 else ''}", err=True)
    summary: dict[str, object] = {**summarise_outcomes(outcomes), "llm": llm, "model": embedder.model_id,
                                  "decision": "cosine" if answer_model is None else "answerability model",
                                  "threshold": threshold, "targets": TARGETS, "wrapped": wrapped,
                                  "skipped_blank_questions": len(evaluation.skipped)}
    if sweep:  # cosines from 0.30, the model's probabilities from 0.02
        grid = ([round(0.30 + 0.01 * i, 2) for i in range(66)] if answer_model is None
                else [round(0.02 * i, 2) for i in range(1, 50)])
        rows = sweep_outcomes(outcomes, grid)
        summary["sweep"] = rows
        summary["chosen"] = choose_threshold(rows)
    if out is not None:
        write_outcomes(out, outcomes)
        summary["outcomes"] = str(out)
    typer.echo(json.dumps(summary, indent=2))
