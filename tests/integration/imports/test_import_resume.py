"""Each adapter's ticket list starts again at the page an earlier read was in (`resume_point()` then
`tickets(resume=...)`): what lets an import job's next round go on where the last one stopped instead of listing the
old helpdesk from the start. Read from the fakes on loopback, a ticket a page, so every ticket is a page of its own."""

from collections.abc import Callable

import pytest

from helpdesk.imports.adapters.freescout import FreeScoutSource
from helpdesk.imports.adapters.zammad import ZammadSource
from helpdesk.imports.adapters.zendesk import ZendeskSource
from helpdesk.imports.ports import OpenSource
from tests.fake_helpdesk import FakeHelpdesk
from tests.freescout_fake import KEY, FreeScoutFake
from tests.zammad_fake import TOKEN as ZAMMAD_TOKEN
from tests.zammad_fake import ZammadFake
from tests.zendesk_fake import EMAIL, TOKEN, ZendeskFake

Opener = Callable[[str], OpenSource]
SOURCES: dict[str, tuple[Callable[[], FakeHelpdesk], Opener]] = {
    "zendesk": (ZendeskFake, lambda url: ZendeskSource(url, EMAIL, TOKEN)),  # the fake's pages hold two
    "zammad": (ZammadFake, lambda url: ZammadSource(url, ZAMMAD_TOKEN, per_page=1)),
    "freescout": (FreeScoutFake, lambda url: FreeScoutSource(url, KEY, page_size=1)),
}


def listed(source: OpenSource, resume: str | None = None) -> list[tuple[str, str | None]]:
    """Each ticket's id and the resume point read as it came."""
    try:
        return [(t.id, source.resume_point()) for t in source.tickets(None, resume=resume)]
    finally:
        source.close()


@pytest.mark.parametrize("name", list(SOURCES))
def test_the_ticket_list_starts_again_at_the_page_a_ticket_came_from(name: str) -> None:
    fake_of, open_ = SOURCES[name]
    fake = fake_of()
    try:
        whole = listed(open_(fake.url))
        points = [point for _, point in whole]
        assert len(set(points)) > 1, whole  # pages enough to resume past the first
        for point in dict.fromkeys(points):
            first = points.index(point)
            again = listed(open_(fake.url), resume=point)
            assert [i for i, _ in again] == [i for i, _ in whole[first:]], point
            assert [p for _, p in again] == points[first:]
    finally:
        fake.close()
