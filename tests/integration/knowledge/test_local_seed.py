"""The local-stack extension: seed the help center once, reconcile the persisted index with DynamoDB."""

from pathlib import Path

from helpdesk.local.extensions import LocalStackContext
from helpdesk.local.stack import StackInfo

ROOT = Path(__file__).resolve().parents[3]


def test_seed_loads_once_and_orphans_are_dropped(kb: Path) -> None:
    from helpdesk import bootstrap
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.knowledge.articles import ArticleStatus
    from helpdesk.knowledge.local import start_knowledge
    from helpdesk.knowledge.service import NewArticle

    c = bootstrap.container()
    ctx = LocalStackContext(root=ROOT, info=StackInfo(api_url="http://x", aws_endpoint="http://y"), host="127.0.0.1",
                            container=c)
    start_knowledge(ctx)
    seeded = {h.article_id for h in c.retriever.search(tenant_id="acme", query="reset password", k=50,
                                                       audience="internal")}
    assert "seed-reset-password" in seeded
    assert len(list((ROOT / "infra/seed/knowledge").glob("*.md"))) - 1 == len(
        c.knowledge_index.article_ids("acme"))  # type: ignore[attr-defined]
    customer_view = c.retriever.search(tenant_id="acme", query="refund exceptions agents approve", k=20)
    assert "seed-agent-refund-exceptions" not in {h.article_id for h in customer_view}

    # An article indexed in a previous run whose record is gone (moto forgets) must not be served.
    c.knowledge_service.create(Principal(user_id="editor-1", tenant_id="acme", role=Role.ADMIN),
                               NewArticle(title="Old", body="zebra stripes", status=ArticleStatus.PUBLISHED))
    from helpdesk.platform.dynamo.models import MetaModel

    for item in MetaModel.scan():
        if "zebra" in str(item.data):
            item.delete()
    start_knowledge(ctx)  # a restart: the seed is unchanged, the orphan goes
    assert [h.title for h in c.retriever.search(tenant_id="acme", query="zebra stripes", k=1)] != ["Old"]


def test_index_follows_the_restored_articles(kb: Path) -> None:
    """After a restore DynamoDB is the truth: a published article missing from the index is indexed,
    one indexed at another version is re-indexed, one that is gone is removed."""
    from helpdesk import bootstrap
    from helpdesk.kernel.principal import Principal, Role
    from helpdesk.knowledge.articles import ArticleStatus
    from helpdesk.knowledge.local import reconcile_index
    from helpdesk.knowledge.service import ArticleChanges, NewArticle

    c = bootstrap.container()
    ctx = LocalStackContext(root=ROOT, info=StackInfo(api_url="http://x", aws_endpoint="http://y"), host="127.0.0.1",
                            container=c)
    admin = Principal(user_id="editor-1", tenant_id="acme", role=Role.ADMIN)
    kept = c.knowledge_service.create(admin, NewArticle(title="Otters", body="otters hold hands while asleep",
                                                        status=ArticleStatus.PUBLISHED))
    edited = c.knowledge_service.create(admin, NewArticle(title="Badgers", body="badgers dig setts",
                                                          status=ArticleStatus.PUBLISHED))
    c.knowledge_service.update(admin, edited.id, ArticleChanges(body="badgers dig setts under oak trees"))
    c.knowledge_index.delete_article("acme", kept.id)  # e.g. the index folder was lost
    index_versions = c.knowledge_index.article_versions  # type: ignore[attr-defined]
    c.article_indexer.index(edited.model_copy(update={"version": 1}).indexable())  # an older version
    assert index_versions("acme") == {edited.id: 1}

    assert reconcile_index(ctx) == {"removed": 0, "indexed": 2}
    assert index_versions("acme") == {kept.id: 1, edited.id: 2}
    assert reconcile_index(ctx) == {"removed": 0, "indexed": 0}  # in line: nothing to do
    hits = c.retriever.search(tenant_id="acme", query="otters asleep", k=1)
    assert [h.article_id for h in hits] == [kept.id]
