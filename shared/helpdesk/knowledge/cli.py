"""`helpdesk kb ...`: import articles into the local stack, search it, evaluate retrieval offline."""

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

kb_app = typer.Typer(help="Knowledge base: import, search, evaluate.", no_args_is_help=True)

Mode = Literal["hybrid", "lexical", "dense"]


@kb_app.command("import")
def import_articles(
    source: Annotated[Path, typer.Argument(exists=True, help="A .jsonl file ({id,title,text} rows), a .md file "
                                                            "or a folder of .md files.")],
    tenant: Annotated[str, typer.Option(help="Tenant to import into.")] = "acme",
    id_prefix: Annotated[str, typer.Option(help="Prefix for ids made from Markdown file names.")] = "",
    publish: Annotated[bool, typer.Option(help="Publish what you imported (you reviewed it). Without it the "
                                               "articles are drafts, and a live article is not changed.")] = False,
) -> None:
    """Create or update articles in the running local stack (DynamoDB and the index): drafts for a person to
    review and publish, unless you pass --publish."""

    from helpdesk.kernel.errors import DomainError
    from helpdesk.kernel.principal import operator_principal, system_principal
    from helpdesk.knowledge.importing import ImportedArticle, count_articles, indexed_in_bulk, iter_articles
    from helpdesk.local.stack import cli_container

    container = cli_container(require_stack=True)
    service, index = container.knowledge_service, container.knowledge_index
    # Publishing is a person's act: the operator running the command, by name.
    caller = operator_principal(tenant) if publish else system_principal(tenant)
    outcomes: dict[str, int] = {}
    problems: list[str] = []
    with typer.progressbar(iter_articles(source, id_prefix), length=count_articles(source),
                           label="importing", file=sys.stderr) as items, indexed_in_bulk(index):
        for item in items:
            if not isinstance(item, ImportedArticle):
                problems.append(f"{item.source}: {item.message}")
                continue
            try:
                outcome = service.import_article(caller, item.as_new_article(), publish=publish)
            except DomainError as exc:  # this article (a translation of a missing original, say); the rest go on
                problems.append(f"{item.id}: {exc.message}")
                continue
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    for problem in problems:
        typer.echo(f"skipped {problem}", err=True)
    typer.echo(json.dumps({"tenant": tenant, **outcomes, "skipped": len(problems)}))


@kb_app.command()
def search(
    question: Annotated[str, typer.Argument(help="What a customer or agent would ask.")],
    tenant: Annotated[str, typer.Option(help="Tenant to search.")] = "acme",
    audience: Annotated[str, typer.Option(help="public: what customers see; internal: agents.")] = "internal",
    k: Annotated[int, typer.Option(min=1, max=50)] = 5,
) -> None:
    """Search the local stack's knowledge index and print the hits."""
    if audience not in ("public", "internal"):
        raise typer.BadParameter("audience is public or internal")
    from helpdesk.local.stack import cli_container

    hits = cli_container().search_retriever.search(tenant_id=tenant, query=question, k=k, audience=audience)  # type: ignore[arg-type]
    if not hits:
        typer.echo("no results")
    for rank, hit in enumerate(hits, start=1):
        where = f" > {hit.heading}" if hit.heading else ""
        snippet = " ".join(hit.text.split())[:160]
        typer.echo(f"{rank}. [{hit.score:.4f}] {hit.title}{where}  ({hit.article_id}, {hit.visibility})\n   {snippet}")


@kb_app.command("eval")
def evaluate(
    corpus: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="corpus.jsonl: {id,title,text}")],
    queries: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="queries.jsonl: {id,text}")],
    qrels: Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="qrels.tsv: query_id doc_id rel")]
    = None,
    k: Annotated[int, typer.Option(min=1, max=50, help="Documents ranked per query.")] = 10,
    out: Annotated[Path | None, typer.Option(help="Write {query_id, doc_ids} per query here (JSONL).")] = None,
    mode: Annotated[str, typer.Option(help="hybrid (the API's), lexical (BM25 only) or dense.")] = "hybrid",
) -> None:
    """Index the corpus into a fresh embedded index as publishing does, run every query as the API does,
    and print a JSON summary (recall@5 and MRR@10 with qrels; index and query times)."""
    if mode not in ("hybrid", "lexical", "dense"):
        raise typer.BadParameter("mode is hybrid, lexical or dense")
    from helpdesk.bootstrap import make_embedder, make_reader
    from helpdesk.knowledge.evaluation import (
        CorpusRow,
        QueryRow,
        build_retriever,
        read_jsonl,
        read_qrels,
        run_queries,
        write_run,
    )
    from helpdesk.settings import KnowledgeSection

    try:
        documents = read_jsonl(corpus, CorpusRow)
        questions = read_jsonl(queries, QueryRow)
        judgements = read_qrels(qrels) if qrels else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    embedder = make_embedder(KnowledgeSection())
    reader = make_reader(KnowledgeSection(), embedder.model_id)  # the API's re-ranker, where installed
    with typer.progressbar(length=len(documents), label="indexing", file=sys.stderr) as bar:
        retriever, seconds = build_retriever(documents, embedder, progress=bar.update, reader=reader)
    run = run_queries(retriever, questions, k, mode, seconds)  # type: ignore[arg-type]
    if out:
        write_run(run, out)
    summary = run.summary(judgements, len(documents))
    summary["reranked_by"] = reader.model_id if reader is not None and mode == "hybrid" else None
    typer.echo(json.dumps(summary, indent=2))
