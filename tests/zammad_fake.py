"""A small Zammad system for import tests, in Zammad's shapes: index endpoints paged by `page`/`per_page` (a short
page is the last), `expand=true` names on tickets and users, articles per ticket (HTML and text, internal notes, a
`System` auto-reply), tags per ticket, files under `/api/v1/ticket_attachment/...`, token auth. What it serves is in
`ACCOUNT` and `FILES` (the server: `tests.fake_helpdesk`)."""

from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_helpdesk import FakeHelpdesk, png

TOKEN = "zm-token-1"

FILES: dict[str, tuple[str, bytes]] = {"2001/11/1": ("application/pdf", b"%PDF-1.4 the signed order")}


def _article(aid: int, author: int, body: str, *, internal: bool = False, sender: str = "Customer",
             html: bool = False, at: str, files: list[dict[str, Any]] | None = None, cc: str = "") -> dict[str, Any]:
    return {"id": aid, "ticket_id": 2001, "created_by_id": author, "origin_by_id": None, "sender": sender,
            "type": "email", "internal": internal, "content_type": "text/html" if html else "text/plain",
            "body": body, "created_at": at, "attachments": files or [], "cc": cc}


ACCOUNT: dict[str, Any] = {
    "organizations": [{"id": 31, "name": "Umbrella", "domain": "umbrella.example", "domain_assignment": True,
                       "note": "<p>Key account</p>"}],
    "users": [{"id": 1, "login": "-", "firstname": "", "lastname": "", "email": "", "roles": []},
              {"id": 3, "login": "alice", "firstname": "Alice", "lastname": "Agent", "email": "alice@acme.example",
               "roles": ["Agent"]},
              {"id": 7, "login": "wesker@umbrella.example", "firstname": "Albert", "lastname": "Wesker",
               "email": "wesker@umbrella.example", "organization_id": 31, "roles": ["Customer"],
               "note": "<p>Orders by <b>phone</b> only.</p>", "phone": "", "mobile": "+49 171 555 0100",
               "preferences": {"locale": "de-de"}}],
    "groups": [{"id": 1, "name": "Users"}, {"id": 2, "name": "Billing"}],
    "tickets": [
        {"id": 2001, "number": "67001", "title": "Order 4711 never arrived", "state": "pending reminder",
         "priority": "3 high", "group_id": 2, "owner_id": 3, "customer_id": 7, "organization_id": 31,
         "create_article_type": "email", "created_at": "2025-04-01T08:00:00Z", "updated_at": "2025-04-02T09:00:00Z",
         "contract": "gold", "parcels": 2, "tracking_id": "", "regions": ["eu"]},
        {"id": 2002, "number": "67002", "title": "Old question", "state": "closed", "priority": "2 normal",
         "group_id": 1, "owner_id": 1, "customer_id": 7, "organization_id": 31, "create_article_type": "web",
         "created_at": "2025-01-01T08:00:00Z", "updated_at": "2025-01-02T08:00:00Z"},
        {"id": 2003, "number": "67003", "title": "Spam", "state": "removed", "priority": "1 low", "group_id": 1,
         "owner_id": 1, "customer_id": 7, "created_at": "2025-01-03T08:00:00Z", "updated_at": "2025-01-03T08:00:00Z"},
    ],
    "tags": {"2001": ["shipping", "Order"], "2002": []},
    # Time accounting per ticket, in Zammad's units (minutes here), as strings.
    "time_accountings": {"2001": [{"id": 1, "ticket_id": 2001, "ticket_article_id": 13, "time_unit": "20.0",
                                   "type_id": None, "created_by_id": 3, "created_at": "2025-04-01T09:01:00Z"}]},
    # 2002 was linked as 2001's parent there (Zammad lists the link from both tickets, each as it reads there).
    "links": {"2001": [{"link_type": "parent", "link_object": "Ticket", "link_object_value": 2002}],
              "2002": [{"link_type": "child", "link_object": "Ticket", "link_object_value": 2001}]},
    "states": [{"id": 1, "name": "new"}, {"id": 2, "name": "open"}, {"id": 3, "name": "pending reminder"},
               {"id": 4, "name": "closed"}],
    "priorities": [{"id": 1, "name": "1 low"}, {"id": 2, "name": "2 normal"}, {"id": 3, "name": "3 high"}],
    # Canned replies are text modules there (HTML, `#{...}` variables); macros change a ticket and add notes.
    "text_modules": [
        {"id": 61, "name": "Parcel on its way", "keywords": "shipping", "active": True, "group_ids": [2],
         "content": "<p>Hello #{ticket.customer.firstname},</p><p>your parcel (#{ticket.parcels} pieces) left our "
                    "depot.</p><p>#{user.firstname}, #{config.product_name}</p>"}],
    "macros": [
        {"id": 71, "name": "Close & Tag as Spam", "active": True, "note": "example macro", "group_ids": [],
         "perform": {"ticket.state_id": {"value": 4}, "ticket.tags": {"operator": "add", "value": "spam"},
                     "ticket.owner_id": {"pre_condition": "current_user.id", "value": ""}}},
        {"id": 72, "name": "Gold escalation", "active": True, "group_ids": [2],
         "perform": {"ticket.priority_id": {"value": 3}, "ticket.contract": {"value": "gold"},
                     "article.note": {"body": "<p>Escalated: gold contract</p>", "internal": "true", "subject": ""},
                     "ticket.pending_time": {"operator": "relative", "value": "1", "range": "day"}}}],
    # Overviews: `condition` per attribute (`pre_condition` for the current user or nobody), `order`, `prio`.
    "overviews": [
        {"id": 81, "name": "My Assigned Tickets", "prio": 1000, "active": True, "user_ids": [],
         "condition": {"ticket.state_id": {"operator": "is", "value": ["1", "2", "3"]},
                       "ticket.owner_id": {"operator": "is", "pre_condition": "current_user.id", "value": ""}},
         "order": {"by": "created_at", "direction": "ASC"}},
        {"id": 82, "name": "Unassigned & Open", "prio": 1010, "active": True, "user_ids": [],
         "condition": {"ticket.state_id": {"operator": "is", "value": ["1", "2"]},
                       "ticket.owner_id": {"operator": "is", "pre_condition": "not_set", "value": ""}},
         "order": {"by": "created_at", "direction": "DESC"}},
        {"id": 83, "name": "Escalated", "prio": 1020, "active": True, "user_ids": [],
         "condition": {"ticket.escalation_at": {"operator": "till (relative)", "value": "10", "range": "minute"}},
         "order": {"by": "escalation_at", "direction": "ASC"}},
        {"id": 84, "name": "Gold contracts in billing", "prio": 1030, "active": True, "user_ids": [3],
         "condition": {"ticket.group_id": {"operator": "is", "value": ["2"]},
                       "ticket.contract": {"operator": "is", "value": ["gold"]},
                       "ticket.tags": {"operator": "contains one", "value": "shipping"}},
         "order": {"by": "updated_at", "direction": "DESC"}}],
    # SLAs: one set of minutes for the tickets a condition picks, on a calendar (IANA zone, hours, holidays).
    "calendars": [
        {"id": 1, "name": "Berlin office", "timezone": "Europe/Berlin", "default": True,
         "business_hours": {**{d: {"active": True, "timeframes": [["08:00", "12:00"], ["13:00", "17:00"]]}
                               for d in ("mon", "tue", "wed", "thu", "fri")},
                            "sat": {"active": False, "timeframes": [["10:00", "14:00"]]}},
         "public_holidays": {"2025-12-25": {"active": True, "summary": "Christmas"},
                             "2025-12-31": {"active": False, "summary": "New Year's Eve"}}},
        {"id": 2, "name": "Moon base", "timezone": "Moon/Tranquility",
         "business_hours": {"mon": {"active": True, "timeframes": [["09:00", "17:00"]]}}, "public_holidays": {}}],
    "slas": [
        {"id": 91, "name": "High priority", "calendar_id": 1, "first_response_time": 60, "response_time": 120,
         "update_time": 240, "solution_time": 480,
         "condition": {"ticket.priority_id": {"operator": "is", "value": ["3"]}}},
        {"id": 92, "name": "Lunar customers", "calendar_id": 2, "first_response_time": 600, "solution_time": 6000,
         "condition": {}},
        {"id": 93, "name": "Umbrella", "calendar_id": 1, "first_response_time": 30,
         "condition": {"ticket.organization_id": {"operator": "is", "value": ["31"]}}}],
    # Triggers: `condition` (`ticket.action is create` for new tickets) and `perform`, run in name order.
    "triggers": [
        {"id": 101, "name": "auto reply (on new tickets)", "active": True,
         "condition": {"ticket.action": {"operator": "is", "value": "create"},
                       "ticket.state_id": {"operator": "is not", "value": ["4"]}},
         "perform": {"notification.email": {"body": "Thanks", "recipient": "article_last_sender"}}},
        {"id": 102, "name": "Refunds to billing", "active": True,
         "condition": {"ticket.action": {"operator": "is", "value": "create"},
                       "article.subject": {"operator": "contains", "value": "refund"}},
         "perform": {"ticket.group_id": {"value": "2"}, "ticket.tags": {"operator": "add", "value": "refund, money"}}},
        {"id": 103, "name": "Umbrella is urgent", "active": True,
         "condition": {"ticket.action": {"operator": "is", "value": "create"},
                       "ticket.organization_id": {"operator": "is", "pre_condition": "specific", "value": ["31"]}},
         "perform": {"ticket.priority_id": {"value": "3"}}},
        {"id": 104, "name": "Reopened", "active": True,
         "condition": {"ticket.action": {"operator": "is", "value": "update"}},
         "perform": {"ticket.priority_id": {"value": "3"}}},
        # On updates, as triggers here: a customer's article on a pending ticket; (the expert editor's shape) a
        # priority changed in Billing; conditions combined with OR; one that only mails.
        {"id": 105, "name": "Customer answered a pending ticket", "active": True,
         "condition": {"ticket.action": {"operator": "is", "value": "update"},
                       "article.sender_id": {"operator": "is", "value": 2},
                       "ticket.state_id": {"operator": "is", "value": ["3"]}},
         "perform": {"ticket.state_id": {"value": "2"}, "ticket.tags": {"operator": "add", "value": "answered"},
                     "ticket.owner_id": {"pre_condition": "specific", "value": "3"},
                     "article.note": {"subject": "", "body": "<p>#{ticket.customer.firstname} answered.</p>",
                                      "internal": "true"}}},
        {"id": 106, "name": "Billing repriced", "active": True,
         "condition": {"operator": "AND", "conditions": [
             {"name": "ticket.action", "operator": "is", "value": "update"},
             {"name": "ticket.priority_id", "operator": "has changed"},
             {"name": "ticket.group_id", "operator": "is", "value": ["2"]}]},
         "perform": {"ticket.tags": {"operator": "add", "value": "repriced"},
                     "notification.email": {"recipient": "ticket_owner", "subject": "Repriced", "body": "..."}}},
        {"id": 107, "name": "Either way", "active": True,
         "condition": {"operator": "OR", "conditions": [
             {"name": "ticket.priority_id", "operator": "has changed"},
             {"name": "ticket.state_id", "operator": "has changed"}]},
         "perform": {"ticket.tags": {"operator": "add", "value": "moved"}}},
        {"id": 108, "name": "auto reply (on follow-up of tickets)", "active": True,
         "condition": {"ticket.action": {"operator": "is", "value": "update"},
                       "article.sender_id": {"operator": "is", "value": 2},
                       "article.type_id": {"operator": "is", "value": [1, 5, 11]}},
         "perform": {"notification.email": {"recipient": "article_last_sender", "subject": "Thanks", "body": "."}}},
        # Words of the article, the customer's organisation and a custom attribute; it sets one and calls a webhook.
        {"id": 109, "name": "Gold outages at Umbrella", "active": True,
         "condition": {"ticket.action": {"operator": "is", "value": "update"},
                       "article.body": {"operator": "contains", "value": "outage"},
                       "ticket.organization_id": {"operator": "is", "pre_condition": "specific", "value": ["31"]},
                       "ticket.contract": {"operator": "is", "value": ["gold"]}},
         "perform": {"ticket.priority_id": {"value": "3"}, "ticket.parcels": {"value": "0"},
                     "notification.webhook": {"webhook_id": "7"},
                     "notification.email": {"recipient": ["ticket_customer", "ticket_owner"], "subject": "On it",
                                            "body": "<p>Hello #{ticket.customer.firstname}, we are on it.</p>"}}}],
    # Scheduler jobs: conditions and changes on a time plan.
    "jobs": [{"id": 111, "name": "Close pending after a week", "active": True, "timeplan": {},
              "condition": {"ticket.state_id": {"operator": "is", "value": ["3"]}},
              "perform": {"ticket.state_id": {"value": "4"}}},
             # One relative time condition, the others and its actions with counterparts: a time trigger here.
             {"id": 112, "name": "Nudge the owner of quiet tickets", "active": True,
              "timeplan": {"days": {"Mon": True}, "hours": {"9": True}, "minutes": {"0": True}},
              "condition": {"ticket.state_id": {"operator": "is", "value": ["2"]},
                            "ticket.last_contact_customer_at": {"operator": "before (relative)", "value": "2",
                                                                "range": "day"},
                            "ticket.tags": {"operator": "contains one not", "value": "nudged"}},
              "perform": {"ticket.tags": {"operator": "add", "value": "nudged"},
                          "notification.email": {"recipient": "ticket_owner", "subject": "Quiet", "body": "..."}}}],
    # Zammad's own attributes are not `editable`; an admin's are (on tickets, users, ...), in Zammad's data types.
    "attributes": [
        {"id": 1, "object": "Ticket", "name": "title", "display": "Title", "data_type": "input", "editable": False,
         "active": True, "data_option": {"type": "text", "maxlength": 200}},
        {"id": 40, "object": "Ticket", "name": "contract", "display": "Contract", "data_type": "select",
         "editable": True, "active": True, "data_option": {"options": {"gold": "Gold", "silver": "Silver"}}},
        {"id": 41, "object": "Ticket", "name": "parcels", "display": "Parcels", "data_type": "integer",
         "editable": True, "active": True, "data_option": {"min": 0, "max": 999}},
        {"id": 42, "object": "Ticket", "name": "tracking_id", "display": "Tracking ID", "data_type": "input",
         "editable": True, "active": True, "data_option": {"type": "text", "maxlength": 120}},
        {"id": 43, "object": "Ticket", "name": "regions", "display": "Regions", "data_type": "multiselect",
         "editable": True, "active": True, "data_option": {"options": {"eu": "EU", "us": "US"}}},
        {"id": 44, "object": "User", "name": "vip", "display": "VIP", "data_type": "boolean", "editable": True,
         "active": True, "data_option": {"options": {"true": "yes", "false": "no"}}},
    ],
    # The knowledge base as `POST /api/v1/knowledge_bases/init` lists it (no bodies) and each answer's bodies as
    # `GET .../answers/<id>?full=1&include_contents=1` gives them (`kb_contents`, by content id).
    "knowledge_base": {
        "KnowledgeBase": {"1": {"id": 1, "active": True, "kb_locale_ids": [1, 2], "category_ids": [1]}},
        "KnowledgeBaseLocale": {"1": {"id": 1, "knowledge_base_id": 1, "system_locale_id": 1, "primary": True},
                                "2": {"id": 2, "knowledge_base_id": 1, "system_locale_id": 4, "primary": False}},
        "KnowledgeBaseCategory": {"1": {"id": 1, "knowledge_base_id": 1, "parent_id": None,
                                        "answer_ids": [5, 6, 7, 8]}},
        "KnowledgeBaseCategoryTranslation": {
            "1": {"id": 1, "title": "Orders", "kb_locale_id": 1, "category_id": 1},
            "2": {"id": 2, "title": "Bestellungen", "kb_locale_id": 2, "category_id": 1}},
        "KnowledgeBaseAnswer": {
            "5": {"id": 5, "category_id": 1, "published_at": "2025-03-12T14:52:21Z", "internal_at": None,
                  "archived_at": None, "translation_ids": [51, 52], "tags": ["shipping"]},
            "6": {"id": 6, "category_id": 1, "published_at": None, "internal_at": "2025-03-12T14:52:38Z",
                  "archived_at": None, "translation_ids": [61], "tags": []},
            "7": {"id": 7, "category_id": 1, "published_at": None, "internal_at": None, "archived_at": None,
                  "translation_ids": [71], "tags": []},
            "8": {"id": 8, "category_id": 1, "published_at": "2024-01-01T00:00:00Z", "internal_at": None,
                  "archived_at": "2024-06-01T00:00:00Z", "translation_ids": [81], "tags": []}},
        "KnowledgeBaseAnswerTranslation": {
            "51": {"id": 51, "title": "Where is my parcel?", "kb_locale_id": 1, "answer_id": 5, "content_id": 51},
            "52": {"id": 52, "title": "Wo ist mein Paket?", "kb_locale_id": 2, "answer_id": 5, "content_id": 52},
            "61": {"id": 61, "title": "Refund rules for agents", "kb_locale_id": 1, "answer_id": 6, "content_id": 61},
            "71": {"id": 71, "title": "Returns portal (coming)", "kb_locale_id": 1, "answer_id": 7, "content_id": 71},
            "81": {"id": 81, "title": "Old shipping rates", "kb_locale_id": 1, "answer_id": 8, "content_id": 81}}},
    "kb_contents": {
        "51": "<h2>Tracking</h2><p>Open <b>Orders</b> in your account and choose the order: the tracking link is "
              "under the parcel.</p><p><img src=\"/api/v1/attachments/77\" alt=\"The Orders page\"></p>",
        "52": "<h2>Sendungsverfolgung</h2><p>Öffnen Sie <b>Bestellungen</b> in Ihrem Konto und wählen Sie die "
              "Bestellung: der Link zur Sendungsverfolgung steht unter dem Paket.</p>",
        "61": "<p>Refunds above 100 EUR need a second agent's approval.</p>",
        "71": "<p>A returns portal is planned for the spring.</p>",
        "81": "<p>Shipping cost 4 EUR until June.</p>"},
    "articles": {
        "2001": [_article(11, 7, "<p>Where is order <b>4711</b>?</p><p>Attached: the order.</p>", html=True,
                          at="2025-04-01T08:00:00Z", cc="Ada Wong <Ada.Wong@umbrella.example>, not an address",
                          files=[{"id": 1, "filename": "order.pdf", "size": "25",
                                  "preferences": {"Content-Type": "application/pdf"}}]),
                 _article(12, 1, "Your request has been received.", sender="System", at="2025-04-01T08:00:05Z"),
                 _article(13, 3, "Carrier says it is in the depot.", internal=True, sender="Agent",
                          at="2025-04-01T09:00:00Z"),
                 _article(14, 3, "It will be delivered tomorrow.", sender="Agent", at="2025-04-02T09:00:00Z")],
        "2002": [_article(15, 7, "How do I change my address?", at="2025-01-01T08:00:00Z")],
    },
}


# What Zammad lists to admins only (admin.* permissions): a 403 to an agent's token.
ADMIN_LISTS = frozenset({"/api/v1/triggers", "/api/v1/macros", "/api/v1/overviews", "/api/v1/slas", "/api/v1/calendars",
                         "/api/v1/jobs", "/api/v1/object_manager_attributes"})


class ZammadFake(FakeHelpdesk):
    files_path = "/api/v1/ticket_attachment/"
    files_at = {"/api/v1/attachments/77": ("image/png", png(30, 20, (200, 120, 30)))}  # a knowledge base picture

    def __init__(self) -> None:
        super().__init__(FILES)
        # `ticket_trigger_recursive` as its settings list shows it (Zammad's default, off); None: not listed, as for
        # a token without `admin.ticket`
        self.recursive_triggers: bool | None = False
        self.my_roles = ["Admin", "Agent"]  # the token's user's roles: without Admin, the admin lists are a 403

    def authorized(self, headers: Message) -> bool:
        return headers.get("Authorization") == f"Token token={TOKEN}"

    def forbidden(self, path: str) -> bool:
        return "Admin" not in self.my_roles and urlsplit(path).path in ADMIN_LISTS

    def answer(self, path: str) -> Any:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/api/v1/users/me":
            return {"id": 2, "login": "ada", "firstname": "Ada", "lastname": "Admin", "email": "ada@acme.example",
                    "role_ids": [1, 2] if "Admin" in self.my_roles else [2]}
        if parts.path == "/api/v1/links":  # as Zammad's Link.list reads them for the ticket asked about
            return {"links": ACCOUNT["links"].get(query.get("link_object_value", ""), []), "assets": {}}
        if parts.path.startswith("/api/v1/tickets/") and parts.path.endswith("/time_accountings"):
            return ACCOUNT["time_accountings"].get(parts.path.split("/")[4])  # 404 for one without (an older Zammad)
        if parts.path == "/api/v1/tags":
            return {"tags": ACCOUNT["tags"].get(query.get("o_id", ""), [])}
        if parts.path.startswith("/api/v1/ticket_articles/by_ticket/"):
            return ACCOUNT["articles"].get(parts.path.rsplit("/", 1)[1])
        if parts.path.startswith("/api/v1/knowledge_bases/1/answers/") and query.get("include_contents") == "1":
            answer = ACCOUNT["knowledge_base"]["KnowledgeBaseAnswer"].get(parts.path.rsplit("/", 1)[1])
            return None if answer is None else {"id": answer["id"], "assets": {
                "KnowledgeBaseAnswerTranslationContent": {str(t): {"id": t, "body": ACCOUNT["kb_contents"][str(t)]}
                                                          for t in answer["translation_ids"]}}}
        if parts.path == "/api/v1/object_manager_attributes":  # one list, not paged
            return ACCOUNT["attributes"]
        if parts.path == "/api/v1/settings":  # every setting the token may read, in one list
            recursive = [] if self.recursive_triggers is None else [
                {"id": 201, "name": "ticket_trigger_recursive", "area": "Ticket::Core",
                 "state_current": {"value": self.recursive_triggers}}]
            return [{"id": 1, "name": "product_name", "area": "System::Branding", "state_current": {"value": "Z"}},
                    *recursive]
        lists = {"/api/v1/organizations": ACCOUNT["organizations"], "/api/v1/users": ACCOUNT["users"],
                 "/api/v1/groups": ACCOUNT["groups"], "/api/v1/tickets": ACCOUNT["tickets"],
                 "/api/v1/ticket_states": ACCOUNT["states"], "/api/v1/ticket_priorities": ACCOUNT["priorities"],
                 "/api/v1/text_modules": ACCOUNT["text_modules"], "/api/v1/macros": ACCOUNT["macros"],
                 "/api/v1/overviews": ACCOUNT["overviews"], "/api/v1/slas": ACCOUNT["slas"],
                 "/api/v1/calendars": ACCOUNT["calendars"], "/api/v1/triggers": ACCOUNT["triggers"],
                 "/api/v1/jobs": ACCOUNT["jobs"]}
        if parts.path not in lists:
            return None
        page, per_page = int(query.get("page", "1")), int(query.get("per_page", "100"))
        return lists[parts.path][(page - 1) * per_page:page * per_page]

    def answer_post(self, path: str, body: Any) -> Any:
        return ACCOUNT["knowledge_base"] if path == "/api/v1/knowledge_bases/init" else None
