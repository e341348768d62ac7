"""The knowledge base in the local stack: make the embedded index follow DynamoDB, load the seed.

The local stack restores DynamoDB from its saved state while the embedded index folder lives beside it.
They can disagree: the index is written when an article is published, the state every few seconds, so
after a crash the index may hold a newer version than DynamoDB, or an article DynamoDB lost; after
`helpdesk serve --reset` it holds articles that no longer exist. DynamoDB is the source of truth: on
start every indexed article that is not published there, or at another version, is removed or
re-indexed, and every published article missing from the index is indexed. Then the seed help center
(infra/seed/knowledge) is imported into the default tenant through the same service the API uses
(unchanged articles are left alone, so a restart does not re-embed them).
"""

from helpdesk.local.extensions import LocalStackContext, Stop

SEED_FOLDER = ("infra", "seed", "knowledge")


def reconcile_index(ctx: LocalStackContext) -> dict[str, int]:
    """Make the embedded index hold exactly the published articles in DynamoDB, at their versions."""
    from helpdesk.knowledge.adapters.dynamo import scan_all_articles
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.articles import ArticleStatus

    index = ctx.container.knowledge_index
    counts = {"removed": 0, "indexed": 0}
    if not isinstance(index, EmbeddedIndex):
        return counts
    published = {(a.tenant_id, a.id): a for a in scan_all_articles(ctx.container.tables)
                 if a.status == ArticleStatus.PUBLISHED}
    indexed = {(tenant, article_id): version for tenant in index.tenants()
               for article_id, version in index.article_versions(tenant).items()}
    stale = [key for key, version in indexed.items()
             if key not in published or published[key].version != version]
    missing = [article for key, article in published.items() if indexed.get(key) != article.version]
    if not stale and not missing:
        return counts
    indexer = ctx.container.article_indexer
    with index.bulk():
        for tenant, article_id in stale:
            index.delete_article(tenant, article_id)
        indexer.index_many(article.indexable() for article in missing)
    counts.update(removed=len([k for k in stale if k not in published]), indexed=len(missing))
    return counts


def start_knowledge(ctx: LocalStackContext) -> Stop | None:
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.knowledge.importing import ImportedArticle, iter_articles
    from helpdesk.local.stack import LOCAL_TENANT

    service = ctx.container.knowledge_service
    counts = reconcile_index(ctx)
    if any(counts.values()):
        print(f"helpdesk: knowledge index brought in line with the stored articles: {counts}")

    folder = ctx.root.joinpath(*SEED_FOLDER)
    if not folder.is_dir():
        return None
    # The shipped sample help center is published by the person starting the stack: imported text is only
    # published by a person (an internal actor would leave drafts).
    caller = Principal(user_id="operator:helpdesk-serve", tenant_id=LOCAL_TENANT, role=Role.ADMIN)
    outcomes: dict[str, int] = {}
    for item in iter_articles(folder, id_prefix="seed-"):
        if not isinstance(item, ImportedArticle):
            print(f"helpdesk: seed article skipped: {item.source}: {item.message}")
            continue
        outcome = service.import_article(caller, item.as_new_article(), publish=True)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(f"helpdesk: knowledge base for tenant {LOCAL_TENANT!r}: {outcomes}")
    return None
