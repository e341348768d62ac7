"""A small Zendesk account for import tests: an HTTP server on 127.0.0.1 answering the REST API's list endpoints in
Zendesk's shapes (cursor pagination with `meta.has_more` and `links.next`, the incremental ticket export with
`after_url` and `end_of_stream`, basic auth with `{email}/token:{token}`), a page at a time so every paging path runs.
What it serves is in `ACCOUNT` and `FILES` (the server: `tests.fake_helpdesk`)."""

import base64
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_helpdesk import FakeHelpdesk, png

EMAIL, TOKEN = "admin@acme.example", "zd-token-1"
PAGE = 2  # items per page: small, so the fixtures page


def _user(uid: int, name: str, email: str | None, role: str = "end-user", org: int | None = None) -> dict[str, Any]:
    return {"id": uid, "name": name, "email": email, "role": role, "organization_id": org}


# Files the account serves at /attachments/<name> (its pages name them as `{base}/attachments/<name>`).
FILES: dict[str, tuple[str, bytes]] = {
    "credit-note.pdf": ("application/pdf", b"%PDF-1.4 credit note for March"),
    "setup.exe": ("application/octet-stream", b"MZ\x90\x00 a program"),
    "screenshot.png": ("image/png", b"\x89PNG\r\n\x1a\n a picture"),
    "vat-table.png": ("image/png", png(40, 20, (30, 90, 200))),  # shown in article 3001
}


def _comment(cid: int, author: int, body: str, public: bool, at: str, files: tuple[str, ...] = (),
             message_id: str | None = None) -> dict[str, Any]:
    return {"id": cid, "type": "Comment", "author_id": author, "body": body, "plain_body": body,
            "html_body": f"<p>{body}</p>", "public": public, "created_at": at,
            "metadata": {"system": {"message_id": message_id} if message_id else {}},
            "attachments": [{"file_name": name, "content_url": f"{{base}}/attachments/{name}",
                             "content_type": FILES[name][0] if name in FILES else "image/png",
                             "size": len(FILES[name][1]) if name in FILES else 10} for name in files]}


ACCOUNT: dict[str, Any] = {
    "organizations": [{"id": 501, "name": "Globex", "domain_names": ["globex.example"], "details": "Enterprise plan",
                       "notes": "Renewal in March"},
                      {"id": 502, "name": "Initech", "domain_names": [], "details": None, "notes": None}],
    "users": [_user(1, "Alice Agent", "alice@acme.example", "agent"),
              _user(2, "Zed Former", "zed@acme.example", "agent"),
              {**_user(10, "Hank Scorpio", "hank@globex.example", org=501), "details": "Head of purchasing",
               "notes": "Signs off every invoice himself; call before changing one."},
              {**_user(11, "Peter Gibbons", "peter@initech.example", org=502), "phone": "+1 512 555 0142",
               "locale": "en-US"},
              {**_user(13, "Sabine Schreiber", "sabine@initech.example", org=502), "locale": "de"},
              _user(12, "Phone Caller", None)],
    # Users' identities (`include=identities`): Peter also writes from home; a phone identity is no address
    "identities": [{"id": 1, "user_id": 11, "type": "email", "value": "peter@initech.example", "primary": True},
                   {"id": 2, "user_id": 11, "type": "email", "value": "Peter.G@home.example", "primary": False},
                   {"id": 3, "user_id": 11, "type": "phone_number", "value": "+1 512 555 0142", "primary": False}],
    "groups": [{"id": 801, "name": "Billing", "deleted": False}, {"id": 802, "name": "Second line", "deleted": False}],
    # The account's languages (`/api/v2/locales`): the default is what a user who chose none has
    "locales": [{"id": 1, "locale": "en-US", "name": "English", "default": True},
                {"id": 8, "locale": "de", "name": "Deutsch", "default": False}],
    "tickets": [
        {"id": 1001, "subject": "Invoice shows the wrong VAT", "status": "open", "priority": "high",
         "via": {"channel": "email"}, "requester_id": 10, "assignee_id": 1, "group_id": 801, "organization_id": 501,
         "email_cc_ids": [11], "follower_ids": [1, 2], "tags": ["vat", "Invoices"], "type": "incident",
         "problem_id": 1004,
         "ticket_form_id": 401,
         "custom_fields": [{"id": 7001, "value": "INV-2031"}, {"id": 7002, "value": "plan_business"},
                           {"id": 7003, "value": "40"}, {"id": 7004, "value": ["billing_api"]},
                           {"id": 7005, "value": True}, {"id": 7006, "value": None}],
         "created_at": "2025-03-01T09:00:00Z", "updated_at": "2025-03-02T10:00:00Z"},
        {"id": 1002, "subject": "Cannot log in", "status": "solved", "priority": None, "via": {"channel": "web"},
         "requester_id": 11, "assignee_id": 2, "group_id": 802, "organization_id": None, "tags": [],
         "satisfaction_rating": {"score": "good", "comment": "Quick and kind"},
         "created_at": "2025-03-03T08:00:00Z", "updated_at": "2025-03-03T12:00:00Z"},
        {"id": 1003, "subject": "Spam", "status": "deleted", "requester_id": 12, "created_at": "2025-03-04T08:00:00Z",
         "updated_at": "2025-03-04T08:00:00Z"},
        {"id": 1004, "subject": "", "status": "pending", "priority": "low", "via": {"channel": "voice"},
         "type": "problem", "requester_id": 12, "assignee_id": None, "group_id": None, "tags": [],
         "created_at": "2025-03-05T08:00:00Z",
         "updated_at": "2025-03-05T09:00:00Z"},
    ],
    "comments": {
        "1001": [_comment(1, 10, "Our March invoice charges 19% VAT, it should be 7%.", True, "2025-03-01T09:00:00Z",
                          ("screenshot.png", "gone.png"), message_id="<CAHank-0001@mail.globex.example>"),
                 _comment(2, 1, "Checked with finance: the rate table is wrong.", False, "2025-03-01T10:00:00Z"),
                 _comment(3, 1, "Thanks Hank, we are correcting the invoice.", True, "2025-03-01T11:00:00Z",
                          ("credit-note.pdf",)),
                 _comment(4, 11, "Peter here, same issue on our side.", True, "2025-03-02T10:00:00Z", ("setup.exe",))],
        "1002": [_comment(5, 11, "The login page says my password is wrong.", True, "2025-03-03T08:00:00Z"),
                 _comment(6, 2, "Reset it from the link we sent.", True, "2025-03-03T09:00:00Z")],
        "1004": [_comment(7, 12, "Called about a refund.", True, "2025-03-05T08:00:00Z")],
    },
}


# Zendesk's system fields come with the custom ones (`removable: false`); the custom ones in Zendesk's types.
ACCOUNT["ticket_fields"] = [
    {"id": 6001, "type": "subject", "title": "Subject", "removable": False, "active": True},
    {"id": 6002, "type": "tickettype", "title": "Type", "removable": False, "active": True},
    {"id": 7001, "type": "text", "title": "Order number", "removable": True, "active": True,
     "visible_in_portal": True, "editable_in_portal": True, "description": "From your order mail"},
    {"id": 7002, "type": "tagger", "title": "Plan", "removable": True, "active": True, "visible_in_portal": True,
     "editable_in_portal": True,
     "custom_field_options": [{"id": 1, "name": "Starter", "value": "plan_starter"},
                              {"id": 2, "name": "Business", "value": "plan_business"}]},
    {"id": 7003, "type": "integer", "title": "Seats", "removable": True, "active": True},
    {"id": 7004, "type": "multiselect", "title": "Products", "removable": True, "active": True,
     "custom_field_options": [{"id": 3, "name": "Billing API", "value": "billing_api"}]},
    {"id": 7005, "type": "checkbox", "title": "Needs engineering", "removable": True, "active": True,
     "required": True},
    {"id": 7006, "type": "date", "title": "Renewal date", "removable": True, "active": False},
]
ACCOUNT["ticket_forms"] = [
    {"id": 401, "name": "Billing question", "display_name": "Question about an invoice", "active": True,
     "end_user_visible": True, "ticket_field_ids": [6001, 7001, 7002, 7003],
     # the order number asked (and required) only of Business customers; a condition on a multi-select has no
     # counterpart here
     "end_user_conditions": [
         {"parent_field_id": 7002, "parent_field_type": "tagger", "value": "plan_business",
          "child_fields": [{"id": 7001, "is_required": True}]},
         {"parent_field_id": 7004, "parent_field_type": "multiselect", "value": "billing_api",
          "child_fields": [{"id": 7003, "is_required": False}]}]},
    {"id": 402, "name": "Internal escalation", "active": True, "end_user_visible": False,
     "ticket_field_ids": [6001, 7005]},
]
# Triggers: conditions `all` / `any` of {field, operator, value}; actions {field, value}; run in `position` order.
CREATED = {"field": "update_type", "operator": "is", "value": "Create"}
ACCOUNT["triggers"] = [
    {"id": 901, "title": "Route refunds to billing", "active": True, "position": 2, "conditions": {
        "all": [CREATED, {"field": "status", "operator": "less_than", "value": "solved"}],
        "any": [{"field": "subject_includes_word", "operator": "includes", "value": "refund chargeback"},
                {"field": "comment_includes_word", "operator": "includes", "value": "invoice"}]},
     "actions": [{"field": "group_id", "value": 801},
                 {"field": "notification_user", "value": ["requester_id", "Got it", "We have your request"]}]},
    {"id": 902, "title": "Globex is a key account", "active": True, "position": 1, "conditions": {
        "all": [CREATED, {"field": "organization_id", "operator": "is", "value": "501"}], "any": []},
     "actions": [{"field": "priority", "value": "high"}, {"field": "current_tags", "value": "vip globex"}]},
    {"id": 903, "title": "Reopened by the customer", "active": True, "position": 3, "conditions": {
        "all": [{"field": "update_type", "operator": "is", "value": "Change"},
                {"field": "current_tags", "operator": "includes", "value": "watch"}], "any": []},
     "actions": [{"field": "priority", "value": "urgent"}, {"field": "assignee_id", "value": 2}]},
    {"id": 904, "title": "Phone tickets to second line", "active": True, "position": 4, "conditions": {
        "all": [CREATED, {"field": "via_id", "operator": "is", "value": "44"}], "any": []},
     "actions": [{"field": "group_id", "value": 802}]},
    {"id": 905, "title": "Old billing rule", "active": False, "position": 5, "conditions": {
        "all": [CREATED, {"field": "via_id", "operator": "is", "value": "4"}], "any": []},
     "actions": [{"field": "group_id", "value": 801}]},
    # Triggers on changes: a VIP's public comment on a ticket waiting for them; a ticket solved; the ticket type.
    {"id": 906, "title": "A VIP answered a solved ticket", "active": True, "position": 6, "conditions": {
        "all": [{"field": "update_type", "operator": "is", "value": "Change"},
                {"field": "comment_is_public", "operator": "is", "value": "true"},
                {"field": "role", "operator": "is", "value": "end_user"},
                {"field": "current_tags", "operator": "includes", "value": "vip"},
                {"field": "status", "operator": "value_previous", "value": "solved"}],
        "any": [{"field": "priority", "operator": "is", "value": "normal"},
                {"field": "priority", "operator": "is", "value": "high"}]},
     "actions": [{"field": "priority", "value": "urgent"}, {"field": "current_tags", "value": "answered"},
                 {"field": "notification_group", "value": ["group_id", "VIP", "A VIP answered"]}]},
    {"id": 907, "title": "Solved: tag it done", "active": True, "position": 7, "conditions": {
        "all": [{"field": "update_type", "operator": "is", "value": "Change"},
                {"field": "status", "operator": "value", "value": "solved"}], "any": []},
     "actions": [{"field": "current_tags", "value": "done"}, {"field": "assignee_id", "value": ""}]},
    {"id": 908, "title": "Incidents to second line", "active": True, "position": 8, "conditions": {
        "all": [{"field": "update_type", "operator": "is", "value": "Change"},
                {"field": "ticket_type_id", "operator": "is", "value": "incident"}], "any": []},
     "actions": [{"field": "group_id", "value": 802}]},
    # A customer's words, their organisation and a custom field: Globex on the business plan reporting an outage.
    {"id": 909, "title": "Globex outages are urgent", "active": True, "position": 9, "conditions": {
        "all": [{"field": "update_type", "operator": "is", "value": "Change"},
                {"field": "comment_is_public", "operator": "is", "value": "true"},
                {"field": "organization_id", "operator": "is", "value": "501"},
                {"field": "custom_fields_7002", "operator": "is", "value": "plan_business"},
                {"field": "comment_includes_word", "operator": "includes", "value": "outage down"}], "any": []},
     "actions": [{"field": "priority", "value": "urgent"}, {"field": "current_tags", "value": "outage"},
                 {"field": "custom_fields_7003", "value": "50"}, {"field": "custom_fields_7099", "value": "x"},
                 {"field": "notification_webhook", "value": ["01HXYZ", "{\"ticket\": \"{{ticket.id}}\"}"]}]},
    {"id": 910, "title": "Escalations answered", "active": True, "position": 10, "conditions": {
        "all": [{"field": "update_type", "operator": "is", "value": "Change"},
                {"field": "ticket_form_id", "operator": "is", "value": "402"},
                {"field": "comment_is_public", "operator": "is", "value": "true"}], "any": []},
     "actions": [{"field": "current_tags", "value": "escalation-answered"}, {"field": "assignee_id", "value": 1}]},
    {"id": 911, "title": "The first agent to reply takes it", "active": True, "position": 11, "conditions": {
        "all": [{"field": "update_type", "operator": "is", "value": "Change"},
                {"field": "comment_is_public", "operator": "is", "value": "true"},
                {"field": "role", "operator": "is", "value": "agent"}], "any": []},
     "actions": [{"field": "assignee_id", "value": "current_user"}]},
]
# Macros as Zendesk keeps them: actions are {field, value} pairs; texts use Liquid placeholders.
ACCOUNT["macros"] = [
    {"id": 501, "title": "Billing::Refund issued", "active": True, "description": "When the refund went out",
     "restriction": None, "actions": [
         {"field": "comment_value", "value": "Hi {{ticket.requester.first_name}},\n\nwe refunded invoice "
                                             "{{ticket.ticket_field_7001}} of ticket #{{ticket.id}}. "
                                             "{{ticket.organization.name}}\n\n{{current_user.first_name}}"},
         {"field": "status", "value": "solved"}, {"field": "current_tags", "value": "refund billing"},
         {"field": "custom_fields_7002", "value": "plan_starter"}, {"field": "assignee_id", "value": "current_user"}]},
    {"id": 502, "title": "Escalate to billing", "active": True, "restriction": {"type": "Group", "id": 801,
                                                                                  "ids": [801]},
     "actions": [{"field": "comment_value", "value": ["channel:all", "Escalated to billing."]},
                 {"field": "comment_mode_is_public", "value": "false"}, {"field": "group_id", "value": 801},
                 {"field": "priority", "value": "urgent"}, {"field": "type", "value": "incident"}]},
    {"id": 503, "title": "Zed's sign-off", "active": True, "restriction": {"type": "User", "id": 2},
     "actions": [{"field": "comment_value", "value": "Cheers, Zed"}]},
    {"id": 504, "title": "Alice's greeting", "active": False, "restriction": {"type": "User", "id": 1},
     "actions": [{"field": "comment_value_html", "value": "<p>Hello <b>there</b>,</p><p>Alice here.</p>"}]},
    {"id": 505, "title": "Mark as question", "active": True, "restriction": None,
     "actions": [{"field": "type", "value": "question"}]},
    {"id": 506, "title": "Offer the survey", "active": True, "restriction": None,
     "actions": [{"field": "satisfaction_score", "value": "offered"}]},
]
# Views: conditions `all` / `any` of {field, operator, value}, `execution` the order, `restriction` who sees them.
UNSOLVED = {"field": "status", "operator": "less_than", "value": "solved"}
ACCOUNT["views"] = [
    {"id": 361, "title": "Your unsolved tickets", "active": True, "position": 1, "restriction": None,
     "conditions": {"all": [UNSOLVED, {"field": "assignee_id", "operator": "is", "value": "current_user"}],
                    "any": []},
     "execution": {"sort_by": "created", "sort_order": "asc"}},
    {"id": 362, "title": "Unassigned tickets", "active": True, "position": 2, "restriction": None,
     "conditions": {"all": [UNSOLVED, {"field": "assignee_id", "operator": "is", "value": ""}], "any": []},
     "execution": {"sort_by": "updated", "sort_order": "desc"}},
    {"id": 363, "title": "Globex on the business plan", "active": True, "position": 3,
     "restriction": {"type": "Group", "id": 801, "ids": [801]},
     "conditions": {"all": [{"field": "group_id", "operator": "is", "value": 801},
                            {"field": "organization_id", "operator": "is", "value": 501},
                            {"field": "custom_fields_7002", "operator": "is", "value": "plan_business"},
                            {"field": "ticket_form_id", "operator": "is", "value": 401}],
                    "any": [{"field": "status", "operator": "is", "value": "new"},
                            {"field": "status", "operator": "is", "value": "open"}]},
     "execution": {"sort_by": "nice_id", "sort_order": "desc"}},
    {"id": 364, "title": "Recently updated tickets", "active": True, "position": 4, "restriction": None,
     "conditions": {"all": [{"field": "updated_at", "operator": "less_than", "value": "24"}], "any": []},
     "execution": {"sort_by": "updated", "sort_order": "desc"}},
    {"id": 365, "title": "Unsolved tickets in your groups", "active": True, "position": 5, "restriction": None,
     "conditions": {"all": [UNSOLVED, {"field": "group_id", "operator": "is", "value": "current_groups"}],
                    "any": []}},
    {"id": 366, "title": "Zed's queue", "active": True, "position": 6, "restriction": {"type": "User", "id": 2},
     "conditions": {"all": [UNSOLVED], "any": []}},
    {"id": 367, "title": "Old pending", "active": False, "position": 7, "restriction": None,
     "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"}], "any": []}},
    {"id": 368, "title": "My urgent incidents by mail", "active": True, "position": 8,
     "restriction": {"type": "User", "id": 1},
     "conditions": {"all": [{"field": "priority", "operator": "is", "value": "urgent"},
                            {"field": "type", "operator": "is", "value": "incident"},
                            {"field": "via_id", "operator": "is", "value": 4},
                            {"field": "status", "operator": "greater_than", "value": "pending"}], "any": []}},
]
# Automations: Zendesk's defaults (close solved tickets, remind on pending ones) and two of the team's own.
ACCOUNT["automations"] = [
    {"id": 71, "title": "Close ticket 4 days after status is set to solved", "active": True, "position": 1,
     "conditions": {"all": [{"field": "status", "operator": "is", "value": "solved"},
                            {"field": "SOLVED", "operator": "greater_than", "value": "96"}], "any": []},
     "actions": [{"field": "status", "value": "closed"}]},
    {"id": 72, "title": "Pending notification 24 hours", "active": False, "position": 2,
     "conditions": {"all": [{"field": "PENDING", "operator": "is", "value": "24"}], "any": []},
     "actions": [{"field": "notification_user", "value": ["requester_id", "Still there?", "Any news?"]}]},
    {"id": 73, "title": "Escalate old urgent tickets", "active": True, "position": 3,
     "conditions": {"all": [{"field": "priority", "operator": "is", "value": "urgent"},
                            {"field": "OPEN", "operator": "greater_than", "value": "8"}], "any": []},
     "actions": [{"field": "group_id", "value": 801}, {"field": "current_tags", "value": "escalated"}]},
    {"id": 74, "title": "Quiet for two days: tell the group", "active": True, "position": 4,
     "conditions": {"all": [{"field": "status", "operator": "is", "value": "open"},
                            {"field": "updated_at", "operator": "greater_than_business_hours", "value": "48"},
                            {"field": "current_tags", "operator": "not_includes", "value": "quiet"}], "any": []},
     "actions": [{"field": "current_tags", "value": "quiet"},
                 {"field": "notification_group", "value": ["group_id", "Quiet ticket", "{{ticket.id}} is quiet"]}]},
    {"id": 75, "title": "Ask pending customers after 3 days", "active": True, "position": 5,
     "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"},
                            {"field": "PENDING", "operator": "greater_than", "value": "72"},
                            {"field": "current_tags", "operator": "not_includes", "value": "asked"}], "any": []},
     "actions": [{"field": "comment_value", "value": ["channel:all", "Hi {{ticket.requester.first_name}}, do you "
                                                                   "still need help with #{{ticket.id}}?"]},
                 {"field": "comment_mode_is_public", "value": "true"}, {"field": "current_tags", "value": "asked"}]},
    {"id": 76, "title": "Assigned a working day ago and still open", "active": True, "position": 6,
     "conditions": {"all": [{"field": "status", "operator": "less_than", "value": "pending"},
                            {"field": "assigned_at", "operator": "greater_than_business_hours", "value": "8"}],
                    "any": []},
     "actions": [{"field": "current_tags", "value": "slow"}]},
]
# SLA policies: a `filter` (all / any), metrics per priority in minutes, each in business hours or not; schedules in
# minutes since Sunday 00:00 in a Rails time zone name the account's time zone list names in IANA terms.
MONDAY_TO_FRIDAY = [{"start_time": day * 1440 + 9 * 60, "end_time": day * 1440 + 17 * 60} for day in range(1, 6)]
ACCOUNT["schedules"] = [{"id": 11, "name": "Office hours", "time_zone": "Berlin", "intervals": MONDAY_TO_FRIDAY}]
ACCOUNT["holidays"] = {"11": [{"id": 1, "name": "Christmas", "start_date": "2025-12-24", "end_date": "2025-12-26"}]}
ACCOUNT["time_zones"] = [{"name": "Berlin", "translated_name": "Berlin", "iana_name": "Europe/Berlin",
                          "offset": 60, "formatted_offset": "GMT+01:00"},
                         {"name": "Eastern Time (US & Canada)", "translated_name": "Eastern Time (US & Canada)",
                          "iana_name": "America/New_York", "offset": -300, "formatted_offset": "GMT-05:00"}]


def _metric(priority: str, metric: str, target: int, business_hours: bool = True) -> dict[str, Any]:
    return {"priority": priority, "metric": metric, "target": target, "business_hours": business_hours}


ACCOUNT["sla_policies"] = [
    {"id": 51, "title": "High and urgent", "position": 1,
     "filter": {"all": [{"field": "priority", "operator": "greater_than", "value": "normal"}], "any": []},
     "policy_metrics": [_metric("urgent", "first_reply_time", 30), _metric("high", "first_reply_time", 60),
                        _metric("urgent", "requester_wait_time", 240), _metric("high", "requester_wait_time", 480),
                        _metric("urgent", "periodic_update", 60)]},
    {"id": 52, "title": "Billing", "position": 2,
     "filter": {"all": [{"field": "group_id", "operator": "is", "value": 801}], "any": []},
     "policy_metrics": [_metric("normal", "first_reply_time", 480, False),
                        _metric("normal", "next_reply_time", 480, False),
                        _metric("normal", "total_resolution_time", 2880, False)]},
    {"id": 53, "title": "Globex", "position": 3,
     "filter": {"all": [{"field": "organization_id", "operator": "is", "value": 501}], "any": []},
     "policy_metrics": [_metric("normal", "first_reply_time", 120)]},
    {"id": 54, "title": "Second line", "position": 4,
     "filter": {"all": [{"field": "group_id", "operator": "is", "value": 802}], "any": []},
     "policy_metrics": [_metric("normal", "first_reply_time", 240)]},
]
ACCOUNT["sections"] = [{"id": 901, "name": "Billing"}, {"id": 902, "name": "Account"}]
ACCOUNT["articles"] = [
    {"id": 3001, "title": "Correct a wrong VAT rate", "section_id": 901, "source_locale": "en-us", "draft": False,
     "user_segment_id": None, "label_names": ["vat", "invoices"],
     "body": "<p>Invoices use the rate of the country you bill to.</p><h2>Ask for a credit note</h2>"
             "<p>Write to billing with the invoice number; a <b>credit note</b> follows in two days.</p>"
             "<p><img src='{base}/attachments/vat-table.png' alt='VAT table'></p>"
             "<p><img src='{base}/attachments/missing.png' alt='gone'></p><script>steal()</script>"},
    {"id": 3002, "title": "Passwort zurücksetzen", "section_id": 902, "source_locale": "de", "draft": True,
     "user_segment_id": None, "label_names": [],
     "body": "<ol><li>Anmeldeseite öffnen</li><li>Link anklicken</li></ol>"},
    {"id": 3003, "title": "Escalation runbook", "section_id": 902, "source_locale": "en-us", "draft": False,
     "user_segment_id": 77, "label_names": [], "body": "<p>Page the on-call engineer.</p>"},
    {"id": 3004, "title": "Empty", "section_id": None, "source_locale": "en-us", "draft": False,
     "user_segment_id": None, "label_names": [], "body": "<p> </p>"},
]


# Every article's translations, its source language's among them (as Zendesk lists them); 3001 also in German.
ACCOUNT["translations"] = {str(a["id"]): [{"id": a["id"] * 10, "locale": a["source_locale"], "title": a["title"],
                                           "body": a["body"], "draft": a["draft"]}] for a in ACCOUNT["articles"]}
ACCOUNT["translations"]["3001"].append({
    "id": 30012, "locale": "de", "title": "Falschen Mehrwertsteuersatz korrigieren", "draft": False,
    "body": "<p>Rechnungen verwenden den Satz des Landes, in das Sie liefern.</p><h2>Gutschrift anfordern</h2>"
            "<p>Schreiben Sie der Buchhaltung mit der Rechnungsnummer; eine <b>Gutschrift</b> folgt in zwei "
            "Tagen.</p>"})


def counted() -> int:
    """The account's tickets as Zendesk's count names them: deleted ones are not counted (the export lists them)."""
    return sum(1 for t in ACCOUNT["tickets"] if t["status"] != "deleted")


class ZendeskFake(FakeHelpdesk):
    def __init__(self) -> None:
        super().__init__(FILES)
        self.my_role = "admin"  # the role of the user the credentials are (`/api/v2/users/me.json`)

    def authorized(self, headers: Message) -> bool:
        return headers.get("Authorization") == "Basic " + base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()

    def answer(self, path: str) -> dict[str, Any] | None:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/api/v2/users/me.json":
            return {"user": _user(90, "Ada Admin", EMAIL, self.my_role)}
        if parts.path == "/api/v2/tickets/count.json":
            return {"count": {"value": counted(), "refreshed_at": "2025-06-01T00:00:00Z"}}
        if parts.path == "/api/v2/incremental/tickets/cursor.json":
            start = int(query.get("cursor", "0"))
            items = ACCOUNT["tickets"][start:start + PAGE]
            more = start + PAGE < len(ACCOUNT["tickets"])
            return {"tickets": items, "after_cursor": str(start + PAGE) if more else None, "end_of_stream": not more,
                    "after_url": f"{self.url}{parts.path}?cursor={start + PAGE}" if more else None}
        lists = {"/api/v2/organizations.json": ("organizations", ACCOUNT["organizations"]),
                 "/api/v2/users.json": ("users", ACCOUNT["users"]),
                 "/api/v2/groups.json": ("groups", ACCOUNT["groups"]),
                 "/api/v2/locales.json": ("locales", ACCOUNT["locales"]),
                 "/api/v2/ticket_fields.json": ("ticket_fields", ACCOUNT["ticket_fields"]),
                 "/api/v2/macros.json": ("macros", ACCOUNT["macros"]),
                 "/api/v2/ticket_forms.json": ("ticket_forms", ACCOUNT["ticket_forms"]),
                 "/api/v2/triggers.json": ("triggers", ACCOUNT["triggers"]),
                 "/api/v2/views.json": ("views", ACCOUNT["views"]),
                 "/api/v2/automations.json": ("automations", ACCOUNT["automations"]),
                 "/api/v2/slas/policies.json": ("sla_policies", ACCOUNT["sla_policies"]),
                 "/api/v2/business_hours/schedules.json": ("schedules", ACCOUNT["schedules"]),
                 "/api/v2/time_zones.json": ("time_zones", ACCOUNT["time_zones"]),
                 "/api/v2/help_center/sections.json": ("sections", ACCOUNT["sections"]),
                 "/api/v2/help_center/articles.json": ("articles", ACCOUNT["articles"])}
        problems = {str(t["id"]) for t in ACCOUNT["tickets"] if t.get("type") == "problem"}
        for problem in problems:  # a problem's incidents: the tickets that name it
            lists[f"/api/v2/tickets/{problem}/incidents.json"] = (
                "tickets", [t for t in ACCOUNT["tickets"] if str(t.get("problem_id")) == problem])
        for article_id, translations in ACCOUNT["translations"].items():
            lists[f"/api/v2/help_center/articles/{article_id}/translations.json"] = ("translations", translations)
        for schedule_id, holidays in ACCOUNT["holidays"].items():
            lists[f"/api/v2/business_hours/schedules/{schedule_id}/holidays.json"] = ("holidays", holidays)
        for ticket_id, comments in ACCOUNT["comments"].items():
            lists[f"/api/v2/tickets/{ticket_id}/comments.json"] = ("comments", comments)
        if parts.path not in lists:
            return None
        key, everything = lists[parts.path]
        start = int(query.get("page[after]", "0"))
        more = start + PAGE < len(everything)
        page: dict[str, Any] = {
            key: everything[start:start + PAGE], "meta": {"has_more": more},
            "links": {"next": f"{self.url}{parts.path}?page[size]={PAGE}&page[after]={start + PAGE}" if more else None}}
        if key == "users" and "identities" in query.get("include", "").split(","):  # side-loaded for the page's users
            ids = {u["id"] for u in page["users"]}
            page["identities"] = [i for i in ACCOUNT["identities"] if i["user_id"] in ids]
        return page
