"""The knowledge base in the local stack: reconcile the persisted index with DynamoDB, load the seed.

moto keeps DynamoDB in memory, so each `helpdesk serve` starts with no articles while the embedded
index folder survives. On start we drop indexed chunks whose article is not published in DynamoDB
(search must never serve what the source of truth does not hold), then import the seed help center
(infra/seed/knowledge) into the default tenant through the same service the API uses.
"""

from helpdesk.local.extensions import LocalStackContext, Stop

SEED_TENANT = "acme"
SEED_FOLDER = ("infra", "seed", "knowledge")


def start_knowledge(ctx: LocalStackContext) -> Stop | None:
    from helpdesk.kernel.principal import system_principal
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.articles import ArticleStatus
    from helpdesk.knowledge.importing import ImportedArticle, iter_articles
    from helpdesk.knowledge.service import NewArticle

    service = ctx.container.knowledge_service
    index = ctx.container.knowledge_index
    if isinstance(index, EmbeddedIndex):
        articles = ctx.container.article_repository
        for tenant in index.tenants():
            for article_id in index.article_ids(tenant):
                stored = articles.get(tenant, article_id)
                if stored is None or stored.status != ArticleStatus.PUBLISHED:
                    index.delete_article(tenant, article_id)

    folder = ctx.root.joinpath(*SEED_FOLDER)
    if not folder.is_dir():
        return None
    caller = system_principal(SEED_TENANT)
    outcomes: dict[str, int] = {}
    for item in iter_articles(folder, id_prefix="seed-"):
        if not isinstance(item, ImportedArticle):
            print(f"helpdesk: seed article skipped: {item.source}: {item.message}")
            continue
        outcome = service.import_article(caller, NewArticle(
            id=item.id, title=item.title, body=item.text, tags=item.tags, visibility=item.visibility,
            language=item.language))
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(f"helpdesk: knowledge base for tenant {SEED_TENANT!r}: {outcomes}")
    return None
