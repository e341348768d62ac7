// The Triggers screen (#/triggers): the list as loaded (When, If, Then), a trigger added, edited and saved with the
// version read (If-Match), the order changed, a save another admin made meanwhile (409) and a refused one (422)
// shown with the edit kept, an agent's read-only view; and a trigger's change in a ticket's history.
import axe from "axe-core";
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { components as Tools } from "../src/api/schema/tools";
import type { TicketEvent } from "../src/api/types";
import { actorName, describeEvent, TicketPage } from "../src/console/ticket";
import { newTriggerDraft } from "../src/console/trigger-card";
import { trialText } from "../src/console/trigger-try";
import { idFromName, triggerIds, TriggersScreen } from "../src/console/triggers";
import { when } from "../src/shared/format";
import { json, shown, ticketPageSurroundings } from "./helpers";

type Trigger = Tools["schemas"]["Trigger"];

const at = "2026-01-01T00:00:00Z";
const GROUPS = [{ id: "billing", name: "Billing", members: ["bob"], tenant_id: "acme", created_at: at, updated_at: at },
  { id: "platform", name: "Platform", members: [], tenant_id: "acme", created_at: at, updated_at: at }];

const STAFF = [{ id: "alice", tenant_id: "acme", email: "alice@acme.example", name: "Alice", role: "agent", active: true, created_at: at, updated_at: at },
  { id: "bob", tenant_id: "acme", email: "bob@acme.example", name: "Bob", role: "agent", active: true, created_at: at, updated_at: at }];

const ORGANIZATIONS = [{ id: "umbrella", name: "Umbrella Corp", tenant_id: "acme", domains: ["umbrella.example"], created_at: at, updated_at: at }];
const FORMS = [{ key: "bug_report", name: "Bug report", fields: [], active: true }];
const FIELDS = [{ key: "plan", label: "Plan", type: "dropdown", options: ["free", "enterprise"] }];

const NOTHING = { statuses: [], from_statuses: [], priorities: [], groups: [], channels: [], tags: [], without_tags: [], assigned: null,
  organizations: [], forms: [], fields: [], keywords: [] };
const NO_ACTION = { group: null, unassign: false, assignee_id: null, priority: null, add_tags: [], remove_tags: [], reply: null, note: null, format: "text" as const, status: null, notify: [], integrations: false,
  custom_fields: {} };

const VIP: Trigger = { id: "vip-reply", name: "VIP answers are urgent", active: true, on: ["customer_replied"], after: null,
  conditions: { ...NOTHING, channels: ["email"], tags: ["vip"] }, actions: { ...NO_ACTION, priority: "urgent" } };
const BREACH: Trigger = { id: "breach-to-platform", name: "Breaches go to platform", active: false, on: ["sla_breached", "sla_warning"], after: null,
  conditions: { ...NOTHING, statuses: ["open", "pending"], groups: ["billing"], without_tags: ["escalated"], assigned: true },
  actions: { group: "platform", unassign: true, assignee_id: null, priority: null, add_tags: ["escalated"], remove_tags: ["waiting"], reply: null, note: null,
    status: "open" } };

interface Put { body: { triggers: Trigger[]; rerun?: boolean }; ifMatch: string | null }

/** GET/PUT /triggers as the API answers (the saved list with the next version), or `refuse`'s answer to a PUT. */
function triggersApi(start: Trigger[], refuse?: (put: Put) => Response | Promise<Response> | null) {
  const server = { version: 4, triggers: start, rerun: false };
  const puts: Put[] = [];
  const tries: Record<string, unknown>[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    if (init.method === "PUT" && path === "/triggers") {
      const put = { body: JSON.parse(String(init.body)) as Put["body"], ifMatch: new Headers(init.headers).get("if-match") };
      puts.push(put);
      const refused = await refuse?.(put);
      if (refused) return refused;
      server.version += 1;
      server.triggers = put.body.triggers;
      server.rerun = put.body.rerun ?? false;
    }
    if (path === "/triggers") {
      return json({ triggers: server.triggers, rerun: server.rerun, version: server.version }, 200, `"${server.version}"`);
    }
    if (path === "/groups") return json(GROUPS);
    if (path === "/users") return json({ items: STAFF, next_cursor: null });
    if (path === "/organizations") return json(ORGANIZATIONS);
    if (path === "/triggers/try") {
      tries.push(JSON.parse(String(init.body)) as Record<string, unknown>);
      const matches = String((tries.at(-1)!.ticket)) === "T-000007";
      return json(matches
        ? { ticket_id: "t7", number: "T-000007", matches, unmet: [], changes: [
          { type: "priority_changed", data: { from: "normal", to: "urgent" } }, { type: "triggered", data: { notify: [], integrations: true } }] }
        : { ticket_id: "t8", number: "T-000008", matches, unmet: ["statuses", "keywords"], changes: [] });
    }
    if (path === "/ticket-fields") return json({ fields: FIELDS, forms: FORMS, version: 1 });
    return json({ error: { code: "not_found", message: "not found", details: null } }, 404);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), puts, server, tries };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(api: ApiClient, admin = true) {
  const host = document.body.appendChild(document.createElement("div"));
  render(<TriggersScreen api={api} admin={admin} />, host);
  const form = await shown<HTMLFormElement>(host, "[data-testid=triggers]");
  await settle(); // the groups
  return { host, form };
}

const cards = (host: HTMLElement) => [...host.querySelectorAll<HTMLFieldSetElement>("[data-testid=trigger]")];
const titles = (host: HTMLElement) => cards(host).map((c) => c.querySelector("legend")!.textContent);
const field = <T extends Element = HTMLInputElement>(card: Element, name: string) => {
  const found = card.querySelector<T>(`[name="${name}"]`);
  if (!found) throw new Error(`no ${name}`);
  return found;
};
const button = (host: Element, text: string) => {
  const found = [...host.querySelectorAll("button")].find((b) => b.textContent === text);
  if (!found) throw new Error(`no button ${text}`);
  return found;
};

async function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await settle();
}
async function tick(box: HTMLInputElement, checked = true) {
  box.checked = checked;
  box.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
}
async function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("a new trigger's id", () => {
  it("is made from its name, as the API's pattern takes it", () => {
    expect(idFromName("VIP answers are urgent")).toBe("vip-answers-are-urgent");
    expect(idFromName("  Élan: breach → lead!  ")).toBe("elan-breach-lead");
    expect(idFromName("!!!")).toBe("trigger");
    expect(idFromName("x".repeat(80))).toHaveLength(64);
  });
  it("is unique among the list: a suffix when taken, saved triggers keep theirs", () => {
    const named = (name: string, id = "") => ({ ...newTriggerDraft(), name, id });
    expect(triggerIds([named("VIP reply", "vip-reply"), named("VIP reply"), named("vip reply!"), named("Other", "keep-me")]))
      .toEqual(["vip-reply", "vip-reply-2", "vip-reply-3", "keep-me"]);
    expect(triggerIds([named("a".repeat(70), "a".repeat(64)), named("a".repeat(70))])).toEqual(["a".repeat(64), `${"a".repeat(62)}-2`]);
  });
});

describe("the Triggers screen", () => {
  it("says what a trigger is and shows each one's When, If and Then, in order", async () => {
    const { api } = triggersApi([VIP, BREACH]);
    const { host } = await mount(api);
    expect(host.querySelector("[data-testid=triggers-intro]")!.textContent)
      .toMatch(/^A trigger changes a ticket when something happens to it: .*They run in this order, each once per change\. A time\s+trigger acts when time passes instead .* checked every hour\.$/s);
    expect(titles(host)).toEqual(["1. VIP answers are urgent", "2. Breaches go to platform (off)"]);
    const [vip, breach] = cards(host) as [HTMLFieldSetElement, HTMLFieldSetElement];
    // a saved trigger folds its When, If and Then under one line; the list stays readable
    expect(vip.querySelector<HTMLDetailsElement>("[data-testid=trigger-parts]")!.open).toBe(false);
    expect(vip.querySelector("[data-testid=trigger-summary]")!.textContent).toBe(
      "When a customer replies, if by mail, tagged vip: priority urgent.");
    expect(field(vip, "trigger-name").value).toBe("VIP answers are urgent");
    expect(field(vip, "trigger-active").checked).toBe(true);
    const when = [...vip.querySelectorAll("fieldset")][0]!;
    expect([...when.querySelectorAll("label")].map((l) => l.textContent!.trim())).toEqual([
      "something happens to a ticket", "time passes (checked every hour)", "a ticket is opened", "a customer replies", "the team replies",
      "an internal note is added", "the status changes", "the priority changes", "the group changes", "the assignee changes",
      "the tags change", "the customer rates the help", "an SLA warning", "the SLA is breached",
      "our mail did not arrive (bounced, or marked as spam)"]);
    expect([...when.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value)).toEqual(["change", "on"]);
    expect([...when.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map((i) => i.name)).toEqual(["trigger-on-customer_replied"]);
    expect(field(vip, "trigger-if-channel-email").checked).toBe(true);
    expect(field(vip, "trigger-if-tags").value).toBe("vip");
    expect(field<HTMLSelectElement>(vip, "trigger-if-assigned").value).toBe("");
    expect(field<HTMLSelectElement>(vip, "trigger-priority").value).toBe("urgent");
    expect(field<HTMLSelectElement>(vip, "trigger-group").value).toBe("");
    expect(vip.querySelector("[data-testid=trigger-id]")!.textContent).toBe("Id: vip-reply");

    expect(field(breach, "trigger-active").checked).toBe(false);
    expect(field(breach, "trigger-on-sla_breached").checked).toBe(true);
    expect(field(breach, "trigger-on-sla_warning").checked).toBe(true);
    expect(field(breach, "trigger-if-status-open").checked).toBe(true);
    expect(field(breach, "trigger-if-status-pending").checked).toBe(true);
    expect(field(breach, "trigger-if-status-new").checked).toBe(false);
    expect(field(breach, "trigger-if-group-billing").checked).toBe(true);
    expect(field(breach, "trigger-if-group-platform").checked).toBe(false);
    expect(field(breach, "trigger-if-without-tags").value).toBe("escalated");
    expect(field<HTMLSelectElement>(breach, "trigger-if-assigned").value).toBe("yes");
    expect(field<HTMLSelectElement>(breach, "trigger-group").value).toBe("platform");
    expect(field(breach, "trigger-unassign").checked).toBe(true);
    expect(field(breach, "trigger-add-tags").value).toBe("escalated");
    expect(field(breach, "trigger-remove-tags").value).toBe("waiting");
    const status = field<HTMLSelectElement>(breach, "trigger-status");
    expect(status.value).toBe("open");
    expect([...status.options].map((o) => o.value)).toEqual(["", "open", "pending", "on_hold", "resolved", "closed"]); // never back to new
    expect([...field<HTMLSelectElement>(breach, "trigger-group").options].map((o) => o.textContent)).toEqual(["—", "Billing", "Platform"]);
  });

  it("labels every control (axe)", async () => {
    const { api } = triggersApi([VIP, BREACH]);
    const { host } = await mount(api);
    const result = await axe.run(host, { runOnly: { type: "rule", values: ["label", "select-name", "button-name", "aria-valid-attr-value"] } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(", ")}`)).toEqual([]);
  });

  it("adds a trigger, edits its When, If and Then and saves the whole list with the version read", async () => {
    const { api, puts } = triggersApi([VIP]);
    const { host, form } = await mount(api);
    button(form, "Add trigger").click();
    await settle();
    const added = cards(host)[1]!;
    expect(added.querySelector<HTMLDetailsElement>("[data-testid=trigger-parts]")!.open).toBe(true); // a new one shows its parts
    expect(titles(host)).toEqual(["1. VIP answers are urgent", "2. New trigger"]);
    await type(field(added, "trigger-name"), "VIP reply");
    expect(added.querySelector("[data-testid=trigger-id]")!.textContent).toBe("Id when saved: vip-reply-2"); // vip-reply is taken
    await tick(field(added, "trigger-on-customer_replied"), false);
    await tick(field(added, "trigger-on-status_changed"));
    await tick(field(added, "trigger-on-agent_replied"));
    await tick(field(added, "trigger-if-status-pending"));
    await tick(field(added, "trigger-if-priority-high"));
    await tick(field(added, "trigger-if-group-platform"));
    await tick(field(added, "trigger-if-channel-chat"));
    await type(field(added, "trigger-if-tags"), "vip, outage");
    await type(field(added, "trigger-if-without-tags"), "escalated;");
    await choose(field(added, "trigger-if-assigned"), "no");
    await choose(field(added, "trigger-if-organization"), "umbrella");
    await tick(field(added, "trigger-if-form-bug_report"));
    expect(added.querySelector("[data-testid=trigger-if-organization-chosen]")!.textContent).toContain("Umbrella Corp");
    button(added, "Add a field condition").click();
    await settle();
    await choose(added.querySelector<HTMLSelectElement>("[data-testid=filter-field]")!, "plan");
    await choose(added.querySelector<HTMLSelectElement>("[data-testid=filter-field-value]")!, "enterprise");
    await type(field(added, "trigger-if-keywords"), "outage, is down");
    await choose(field(added, "trigger-group"), "billing");
    await tick(field(added, "trigger-unassign"));
    await choose(field(added, "trigger-priority"), "high");
    await type(field(added, "trigger-add-tags"), "escalated");
    await type(field(added, "trigger-remove-tags"), "waiting, snoozed");
    await type(field<HTMLInputElement>(added, "trigger-reply"), "Hi {{ requester.first_name }}, we are on it.\n");
    await choose(field<HTMLSelectElement>(added, "trigger-set-field"), "plan");
    await choose(added.querySelector<HTMLSelectElement>("[data-testid=field-plan]")!, "enterprise");
    await choose(field(added, "trigger-status"), "open");
    await tick(field(added, "trigger-notify-group"));
    await tick(field(added, "trigger-integrations"));
    await tick(field(cards(host)[0]!, "trigger-active"), false);
    expect(form.textContent).toContain("a trigger's changes set off no other (as in Zammad)");
    await tick(field(form, "trigger-rerun"));
    expect(form.textContent).toContain("each acts at most once per change (as in Zendesk)");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(form.textContent).toContain("Triggers saved"));
    expect(puts).toHaveLength(1);
    expect(puts[0]!.ifMatch).toBe('"4"');
    expect(puts[0]!.body).toEqual({ rerun: true, triggers: [{ ...VIP, active: false }, {
      id: "vip-reply-2", name: "VIP reply", active: true, on: ["agent_replied", "status_changed"], after: null,
      conditions: { statuses: ["pending"], from_statuses: [], priorities: ["high"], groups: ["platform"], channels: ["chat"],
        tags: ["vip", "outage"], without_tags: ["escalated"], assigned: false, organizations: ["umbrella"], forms: ["bug_report"],
        fields: ["plan:enterprise"], keywords: ["outage", "is down"] },
      actions: { group: "billing", unassign: true, assignee_id: null, priority: "high", add_tags: ["escalated"], remove_tags: ["waiting", "snoozed"],
        reply: "Hi {{ requester.first_name }}, we are on it.", note: null, format: "markdown", status: "open",
        notify: ["group"], integrations: true, custom_fields: { plan: "enterprise" } },
    }] });
    expect(field<HTMLInputElement>(form, "trigger-rerun").checked).toBe(true); // as saved
    expect(cards(host)[1]!.querySelector("[data-testid=trigger-id]")!.textContent).toBe("Id: vip-reply-2");
    expect(cards(host)[1]!.querySelector("[data-testid=trigger-summary]")!.textContent).toContain(
      "nobody has it, from Umbrella Corp, form Bug report, Plan: enterprise, mentioning “outage” or “is down”:");
    expect(cards(host)[1]!.querySelector("[data-testid=trigger-summary]")!.textContent).toContain(
      "remove snoozed, Plan enterprise, reply to the customer, status open, mail its group's members, tell the integrations.");
    expect(form.querySelector("[role=alert]")).toBeNull();

    button(form, "Save triggers").click(); // the next save names the version it got back
    await vi.waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[1]!.ifMatch).toBe('"5"');
  });

  it("shows a time trigger's hours and makes one: no words or status before, `after` instead of `on`", async () => {
    const NUDGE: Trigger = { id: "nudge", name: "Nudge the quiet ones", active: true, on: [], after: { hours: 48, since: "customer_message", business_hours: false },
      conditions: { ...NOTHING, statuses: ["pending"] }, actions: { ...NO_ACTION, add_tags: ["nudged"], notify: ["assignee"] } };
    const { api, puts } = triggersApi([NUDGE]);
    const { host, form } = await mount(api);
    const nudge = cards(host)[0]!;
    expect(nudge.querySelector("[data-testid=trigger-summary]")!.textContent).toBe(
      "When 2 days after the customer's last message, if it is pending: add nudged, mail the one who has it.");
    expect(field(nudge, "trigger-after-amount").value).toBe("2");
    expect(field<HTMLSelectElement>(nudge, "trigger-after-unit").value).toBe("days");
    expect(nudge.querySelector("[name=trigger-if-keywords]")).toBeNull(); // a time trigger reads no message
    expect(nudge.querySelector("[name=trigger-if-from-status-open]")).toBeNull();
    expect(nudge.querySelector("[name=trigger-on-customer_replied]")).toBeNull();

    button(form, "Add trigger").click();
    await settle();
    const added = cards(host)[1]!;
    await type(field(added, "trigger-name"), "Unanswered for a day and a half");
    await type(field(added, "trigger-if-keywords"), "outage"); // typed before it became a time trigger: not sent
    await tick(field(added, "trigger-if-from-status-resolved"));
    await tick(added.querySelector<HTMLInputElement>("input[type=radio][value=time]")!);
    await type(field(added, "trigger-after-amount"), "36");
    await choose(field(added, "trigger-after-unit"), "hours");
    await choose(field(added, "trigger-after-since"), "created");
    await tick(field(added, "trigger-after-business"));
    await choose(field(added, "trigger-priority"), "high");
    expect(added.querySelector("[data-testid=trigger-summary]")!.textContent).toBe("When 36 business hours after it was opened: priority high.");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    const made = puts[0]!.body.triggers[1]!;
    expect([made.on, made.after, made.conditions?.keywords, made.conditions?.from_statuses]).toEqual([[], { hours: 36, since: "created", business_hours: true }, [], []]);
    expect(puts[0]!.body.triggers[0]).toEqual(NUDGE); // as it was read
  });

  it("waits from when the ticket took its status or its assignee (Zendesk's hours since pending, since assigned)", async () => {
    const PENDING: Trigger = { id: "ask", name: "Ask the pending ones", active: true, on: [], after: { hours: 96, since: "status_changed", business_hours: false },
      conditions: { ...NOTHING, statuses: ["pending"] }, actions: { ...NO_ACTION, add_tags: ["asked"] } };
    const { api, puts } = triggersApi([PENDING]);
    const { host, form } = await mount(api);
    expect(cards(host)[0]!.querySelector("[data-testid=trigger-summary]")!.textContent).toBe(
      "When 4 days after it took its present status, if it is pending: add asked.");
    await choose(field(cards(host)[0]!, "trigger-after-since"), "assigned");
    expect(cards(host)[0]!.querySelector("[data-testid=trigger-summary]")!.textContent).toBe(
      "When 4 days after it was given to its present assignee, if it is pending: add asked.");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.body.triggers[0]!.after).toEqual({ hours: 96, since: "assigned", business_hours: false });
  });

  it("gives the ticket to a person of the team: a member of the group it moves to, never with 'back to the queue'", async () => {
    const { api, puts } = triggersApi([]);
    const { host, form } = await mount(api);
    button(form, "Add trigger").click();
    await settle();
    const added = cards(host)[0]!;
    await type(field(added, "trigger-name"), "Refunds to Bob");
    const assignee = field<HTMLSelectElement>(added, "trigger-assignee");
    expect([...assignee.options].map((o) => o.text)).toEqual(["—", "Alice <alice@acme.example>", "Bob <bob@acme.example>"]);
    await tick(field(added, "trigger-unassign"));
    await choose(assignee, "alice");
    expect(field(added, "trigger-unassign").checked).toBe(false); // one or the other
    await choose(field(added, "trigger-group"), "billing");
    expect([...field<HTMLSelectElement>(added, "trigger-assignee").options].map((o) => o.text)).toEqual(
      ["—", "Bob <bob@acme.example>", "Alice <alice@acme.example> (not in billing)"]);
    await choose(field(added, "trigger-assignee"), "bob");
    expect(added.querySelector("[data-testid=trigger-summary]")!.textContent).toBe(
      "When a customer replies: to Billing, give it to Bob.");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.body.triggers[0]!.actions).toMatchObject({ group: "billing", unassign: false, assignee_id: "bob" });
  });

  it("waits for the customer's rating and asks which (Zendesk's 'satisfaction is bad')", async () => {
    const { api, puts } = triggersApi([]);
    const { host, form } = await mount(api);
    button(form, "Add trigger").click();
    await settle();
    const added = cards(host)[0]!;
    await type(field(added, "trigger-name"), "Rated bad: look again");
    await tick(field(added, "trigger-on-customer_replied"), false);
    await tick(field(added, "trigger-on-customer_rated"));
    await tick(field(added, "trigger-if-rating-bad"));
    await choose(field(added, "trigger-status"), "open");
    expect(added.querySelector("[data-testid=trigger-summary]")!.textContent).toBe(
      "When the customer rates the help, if rated bad: status open.");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    const made = puts[0]!.body.triggers[0]!;
    expect([made.on, made.conditions?.ratings, made.actions.status]).toEqual([["customer_rated"], ["bad"], "open"]);
  });

  it("gives the ticket to the agent whose change set it off, one way of giving it at a time, never on a time trigger", async () => {
    const { api, puts } = triggersApi([]);
    const { host, form } = await mount(api);
    button(form, "Add trigger").click();
    await settle();
    const added = cards(host)[0]!;
    await type(field(added, "trigger-name"), "The first to reply takes it");
    await tick(field(added, "trigger-on-agent_replied"));
    await choose(field(added, "trigger-assignee"), "alice");
    await tick(field(added, "trigger-to-actor"));
    expect(field<HTMLSelectElement>(added, "trigger-assignee").value).toBe(""); // one or the other
    expect(added.querySelector("[data-testid=trigger-summary]")!.textContent).toContain("give it to the agent whose change set it off");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.body.triggers[0]!.actions).toMatchObject({ assign_to_actor: true, assignee_id: null, unassign: false });
    await tick(added.querySelector<HTMLInputElement>("input[type=radio][value=time]")!);
    expect(added.querySelector("[name=trigger-to-actor]")).toBeNull(); // time passing is nobody's change
  });

  it("sends the triggers in the order they were moved to, without the deleted one", async () => {
    const third: Trigger = { ...VIP, id: "third", name: "Third" };
    const { api, puts } = triggersApi([VIP, BREACH, third]);
    const { host, form } = await mount(api);
    expect(button(form, "Up trigger 1").disabled).toBe(true);
    expect(button(form, "Down trigger 3").disabled).toBe(true);
    button(form, "Down trigger 1").click();
    await settle();
    expect(titles(host)).toEqual(["1. Breaches go to platform (off)", "2. VIP answers are urgent", "3. Third"]);
    button(form, "Up trigger 3").click();
    await settle();
    expect(titles(host)).toEqual(["1. Breaches go to platform (off)", "2. Third", "3. VIP answers are urgent"]);
    await type(field(cards(host)[2]!, "trigger-name"), "VIP answers are urgent!"); // the inputs moved with their trigger
    button(form, "Delete trigger 2").click();
    await settle();
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.body.triggers.map((t) => [t.id, t.name])).toEqual([["breach-to-platform", "Breaches go to platform"],
      ["vip-reply", "VIP answers are urgent!"]]);
  });

  it("shows the status a ticket came from and sends back what it does not show as it was read", async () => {
    // "a customer answered a solved ticket": from resolved; `newer` stands for a condition the API has since
    const reopened = { ...VIP, conditions: { ...VIP.conditions, from_statuses: ["resolved"], newer: true } } as Trigger;
    const { api, puts } = triggersApi([reopened]);
    const { host, form } = await mount(api);
    expect(field(cards(host)[0]!, "trigger-if-from-status-resolved").checked).toBe(true);
    await tick(field(cards(host)[0]!, "trigger-if-from-status-closed"));
    await tick(field(cards(host)[0]!, "trigger-if-status-open"));
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.body.triggers[0]!.conditions).toEqual({ ...VIP.conditions, statuses: ["open"],
      from_statuses: ["resolved", "closed"], newer: true });
  });

  it("shows a save another admin made meanwhile, keeps the edit, and reloads theirs on request", async () => {
    const { api, puts, server } = triggersApi([VIP], () =>
      json({ error: { code: "concurrent_update", message: "the triggers changed since they were read", details: null } }, 409));
    const { host, form } = await mount(api);
    await type(field(cards(host)[0]!, "trigger-name"), "Mine");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(form.textContent).toContain("Another admin saved the triggers meanwhile: reload, then redo your change."));
    expect(puts[0]!.ifMatch).toBe('"4"');
    expect(field(cards(host)[0]!, "trigger-name").value).toBe("Mine");
    expect(button(form, "Save triggers").disabled).toBe(false);

    server.version = 7; // what the other admin saved
    server.triggers = [VIP, BREACH];
    button(form, "Reload the triggers").click();
    await vi.waitFor(() => expect(titles(host)).toEqual(["1. VIP answers are urgent", "2. Breaches go to platform (off)"]));
    expect(form.querySelector("[data-testid=saved-meanwhile]")).toBeNull();
  });

  it("names the trigger and the field of a refused save (422), the edit kept", async () => {
    const ghost: Trigger = { ...BREACH, actions: { ...BREACH.actions, group: "ghost" } };
    const { api } = triggersApi([VIP, ghost], ({ body }) => body.triggers.length === 2
      ? json({ error: { code: "invalid_assignment", message: "triggers[1].actions.group: no group 'ghost' in this tenant (groups are made on the Team screen or with POST /groups)",
        details: { field: "triggers[1].actions.group", group: "ghost" } } }, 422)
      : json({ error: { code: "validation_error", message: "request does not match the schema", details: { errors: [
        { loc: ["body", "triggers", 2, "actions"], type: "value_error", msg: "Value error, a trigger sets a group, unassigns, sets a priority, adds or removes tags or sets a status" }] } } }, 422));
    const { host, form } = await mount(api);
    expect([...field<HTMLSelectElement>(cards(host)[1]!, "trigger-group").options].map((o) => o.textContent))
      .toEqual(["—", "Billing", "Platform", "ghost (not in the team)"]);
    button(form, "Save triggers").click();
    const alert = await shown(form, "[role=alert]");
    expect(alert.textContent).toContain("triggers[1].actions.group: no group 'ghost' in this tenant");
    expect(alert.textContent).toContain("(422 invalid_assignment)");
    expect(alert.textContent).toContain("In trigger 2, “Breaches go to platform”.");

    button(form, "Add trigger").click();
    await settle();
    await type(field(cards(host)[2]!, "trigger-name"), "Does nothing");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(form.querySelector("[role=alert]")!.textContent)
      .toContain("triggers › #3 › actions: Value error, a trigger sets a group"));
    expect(form.querySelector("[role=alert]")!.textContent).toContain("In trigger 3, “Does nothing”.");
    expect(titles(host)).toEqual(["1. VIP answers are urgent", "2. Breaches go to platform (off)", "3. Does nothing"]);
  });

  it("cannot be saved twice at once", async () => {
    let answer: (r: Response) => void = () => undefined;
    const { api, puts } = triggersApi([VIP], () => new Promise<Response>((resolve) => { answer = resolve; }));
    const { form } = await mount(api);
    button(form, "Save triggers").click();
    const saving = await vi.waitFor(() => button(form, "Saving…"));
    expect(saving.disabled).toBe(true);
    saving.click();
    answer(json({ triggers: [VIP], version: 5 }, 200, '"5"'));
    await vi.waitFor(() => expect(button(form, "Save triggers").disabled).toBe(false));
    expect(puts).toHaveLength(1);
  });

  it("tries a trigger as typed on a ticket and says whether it would act and what it would change", async () => {
    const { api, tries, puts } = triggersApi([VIP]);
    const { host } = await mount(api);
    const card = cards(host)[0]!;
    await type(field(card, "trigger-if-keywords"), "outage");
    await type(field(card, "trigger-try-ticket"), "T-000007");
    await type(field(card, "trigger-try-message"), "the site is down, an outage");
    button(card, "Try").click();
    await vi.waitFor(() => expect(card.querySelector("[data-testid=trigger-trial]")).not.toBeNull());
    expect(card.querySelector("[data-testid=trigger-trial]")!.textContent).toBe(
      "T-000007 would match: priority: normal → urgent; told the integrations.");
    expect(tries[0]).toEqual({ trigger: { ...VIP, conditions: { ...VIP.conditions, keywords: ["outage"] } }, ticket: "T-000007",
      message: "the site is down, an outage" });
    await type(field(card, "trigger-try-ticket"), "T-000008");
    button(card, "Try").click();
    await vi.waitFor(() => expect(card.querySelector("[data-testid=trigger-trial]")!.textContent).toBe(
      "T-000008 would not match: status, the message's words."));
    expect(puts).toHaveLength(0); // trying saves nothing
  });

  it("copies a trigger after it, open to edit, and saves the copy under an id of its own", async () => {
    const { api, puts } = triggersApi([VIP, BREACH]);
    const { host, form } = await mount(api);
    button(form, "Copy trigger 1").click();
    await settle();
    expect(titles(host)).toEqual(["1. VIP answers are urgent", "2. Copy of VIP answers are urgent", "3. Breaches go to platform (off)"]);
    const copy = cards(host)[1]!;
    expect(copy.querySelector<HTMLDetailsElement>("[data-testid=trigger-parts]")!.open).toBe(true);
    await choose(field<HTMLSelectElement>(copy, "trigger-priority"), "high");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    const [first, copied] = puts[0]!.body.triggers;
    expect(copied).toEqual({ ...first, id: "copy-of-vip-answers-are-urgent", name: "Copy of VIP answers are urgent",
      actions: { ...first!.actions, priority: "high" } });
    expect(first!.actions.priority).toBe("urgent"); // the original is as it was
  });

  it("finds a trigger of a long list by its name or what it does, and still saves them all", async () => {
    const many: Trigger[] = Array.from({ length: 6 }, (_, n) => ({ ...VIP, id: `t${n}`, name: `Rule ${n}` }));
    many[4] = { ...BREACH, id: "t4", name: "Rule 4" }; // moves tickets to Platform
    const { api, puts } = triggersApi(many);
    const { host, form } = await mount(api);
    await type(field(form, "trigger-find"), "platform");
    expect(titles(host)).toEqual(["5. Rule 4 (off)"]);
    expect(form.querySelector("[data-testid=trigger-find-count]")!.textContent).toBe("1 of 6 triggers");
    await type(field(form, "trigger-find"), "URGENT rule");
    expect(titles(host)).toHaveLength(5); // the others set the priority to urgent
    await type(field(form, "trigger-find"), "nothing like this");
    expect(titles(host)).toEqual([]);
    button(form, "Add trigger").click();
    await settle();
    expect(titles(host)).toEqual(["7. New trigger"]); // a new one shows whatever is looked for
    await type(field(cards(host)[0]!, "trigger-name"), "Seventh");
    button(form, "Save triggers").click();
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.body.triggers.map((t) => t.name)).toEqual(["Rule 0", "Rule 1", "Rule 2", "Rule 3", "Rule 4", "Rule 5", "Seventh"]);
  });

  it("shows an agent the triggers to read, with nothing to change", async () => {
    const { api, puts } = triggersApi([VIP]);
    const { host, form } = await mount(api, false);
    expect(host.textContent).toContain("Only admins change triggers; you can read them.");
    expect(cards(host).map((c) => c.disabled)).toEqual([true]);
    expect([...form.querySelectorAll("button")].map((b) => b.textContent)).toEqual([]);
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(puts).toHaveLength(0);
  });
});

describe("a trigger's change in a ticket's history", () => {
  const requester = { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true, linked_to: null };
  const byTrigger = (data: Record<string, unknown>) =>
    ({ seq: 2, type: "priority_changed", actor: "trigger", at, internal: false, data }) as unknown as TicketEvent;

  it("names the trigger as who did it", () => {
    const trigger = { id: "vip-reply", name: "VIP answers are urgent" };
    expect(actorName(byTrigger({ from: "normal", to: "urgent", trigger }), requester, () => undefined)).toBe("Trigger “VIP answers are urgent”");
    expect(actorName(byTrigger({ from: "normal", to: "urgent" }), requester, () => undefined)).toBe("trigger"); // none named
  });

  it("says whom a trigger mailed", () => {
    const mailed = { seq: 3, type: "triggered", actor: "trigger", at, internal: true,
      data: { notify: ["assignee", "group"], trigger: { id: "vip", name: "VIP wrote" } } } as unknown as TicketEvent;
    expect(describeEvent(mailed)).toBe("mailed the one who has it and the group");
    expect(actorName(mailed, requester, () => undefined)).toBe("Trigger “VIP wrote”");
    const told = { ...mailed, data: { notify: [], integrations: true, trigger: { id: "page", name: "Page on-call" } } } as unknown as TicketEvent;
    expect(describeEvent(told)).toBe("told the integrations");
    const both = { ...mailed, data: { ...mailed.data, notify: ["group"], integrations: true } } as unknown as TicketEvent;
    expect(describeEvent(both)).toBe("mailed the group and told the integrations");
  });

  beforeEach(() => {
    window.location.hash = "";
  });

  it("reads as done by the trigger on the ticket page", async () => {
    const ticket = { id: "t1", number: "T-000001", subject: "Export fails", description: "CSV", status: "open", priority: "urgent",
      channel: "email", requester, requester_key: "email:dana@example.com", assignee_id: null, group: null, tags: ["vip"],
      custom_fields: {}, participants: [], links: [], version: 3, created_at: at, updated_at: at, ai: { cited_article_ids: [] } };
    const events = [{ seq: 1, type: "created", actor: "c1", at, internal: false, data: { description: "CSV" } },
      { seq: 2, type: "priority_changed", actor: "trigger", at, internal: false,
        data: { from: "normal", to: "urgent", trigger: { id: "vip-reply", name: "VIP answers are urgent" } } }];
    const fetch = (async (url: string) => {
      const path = new URL(url).pathname;
      if (path === "/tickets/t1") return json(ticket, 200, '"3"');
      if (path === "/tickets/t1/events") return json(events);
      return ticketPageSurroundings(path);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} id="t1" me="alice" />, host);
    const line = await vi.waitFor(() => {
      const found = [...host.querySelectorAll("[data-testid=events] li")].find((li) => li.textContent!.includes("priority"));
      if (!found) throw new Error("not shown yet");
      return found;
    });
    expect(line.querySelector("strong")!.textContent).toBe("Trigger “VIP answers are urgent”");
    expect(line.textContent!.slice(line.querySelector("time")!.textContent!.length).trim())
      .toBe("Trigger “VIP answers are urgent” priority: normal → urgent");
  });
});

describe("a time trigger tried on a ticket", () => {
  it("says when its time comes while it has not", () => {
    const due = "2026-03-09T16:00:00Z";
    expect(trialText({ ticket_id: "t1", number: "T-000001", matches: false, unmet: ["after"], changes: [], due_at: due }))
      .toBe(`T-000001 would not match: its time has not come (or it acted for this time already). Its time comes ${when(due)}.`);
    expect(trialText({ ticket_id: "t1", number: "T-000001", matches: false, unmet: ["statuses"], changes: [], due_at: due }))
      .toBe("T-000001 would not match: status."); // its hours have passed: the status is what keeps it
  });
});
