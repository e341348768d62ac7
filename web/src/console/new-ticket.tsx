// "New ticket": an agent opens a ticket on a customer's behalf (a phone call, a mail to the agent's own address), or
// one for the team itself (a problem: no customer, the agent its requester).
// The customer is the ticket's requester (`requester` of POST /tickets, staff only), so it is theirs in the portal
// and public replies go to their address. The API checks every field; its message shows in the one alert and
// the form keeps what was typed. A tenant's request forms are offered too: the form names the kind of request
// (lists, views and search filter by it) and, without a group chosen, the group the ticket opens in. The tenant's
// active custom fields are asked too (the ticket page's inputs): with a form picked only that form's, in its order,
// as the portal asks them (what the request is about); without one, every active field. Other fields can be set on
// the ticket page once it is open.
import { useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Tickets } from "../api/schema/tickets";
import { PRIORITIES, type Priority, type Ticket, type TicketField, type TicketForm } from "../api/types";
import { entries } from "../shared/lists";
import { askedNow, editableFields, filledValues, TicketFieldInputs, useTicketDefinitions } from "../shared/ticket-field-inputs";
import { SEND_SHORTCUTS, sendOnCtrlEnter } from "../shared/keys";
import { Alert } from "../shared/ui";
import { GroupSelect, useTeam, type Team } from "./assignment";
import { assigneeChoices, assignmentError } from "./directory";
import { saveChanges } from "./ticket";

type TicketCreateRequest = Tickets["schemas"]["TicketCreateRequest"];

/** The form as typed: text boxes hold strings, the Cc box one string of addresses. */
export interface TicketDraft {
  email: string;
  name: string;
  subject: string;
  message: string;
  priority: Priority;
  group: string | null;
  form: string | null; // a request form's key
  fields: Record<string, unknown>; // custom field values by key as typed (null: emptied)
  cc: string;
  assignToMe: boolean;
  // No customer: the team's own ticket (an outage others' tickets are linked to as its children); the agent is its
  // requester, so no customer is mailed and nobody is asked to rate it.
  forTeam: boolean;
}

export const EMPTY_DRAFT: TicketDraft = { email: "", name: "", subject: "", message: "", priority: "normal", group: null, form: null,
  fields: {}, cc: "", assignToMe: false, forTeam: false };

/** The API's request for a draft: a blank name is no name (the ticket then shows the address), the Cc box is read
 * as addresses. The message stays as typed but for its ends: its line breaks are the customer's paragraphs.
 * `asked`: the custom fields the page shows; only their filled values are sent. */
export function ticketRequest(draft: TicketDraft, asked: TicketField[]): TicketCreateRequest {
  const name = draft.name.trim();
  return {
    subject: draft.subject.trim(),
    description: draft.message.trim(),
    priority: draft.priority,
    group: draft.group,
    ...(draft.forTeam ? {} : { requester: name ? { email: draft.email.trim(), name } : { email: draft.email.trim() } }),
    participants: entries(draft.cc),
    custom_fields: filledValues(draft.fields, asked),
    ...(draft.form ? { form: draft.form } : {}),
  };
}

/** The group the ticket will open in: the one chosen, else the picked form's (what the API does). */
export function openingGroup(draft: Pick<TicketDraft, "group" | "form">, forms: TicketForm[]): string | null {
  return draft.group ?? forms.find((f) => f.key === draft.form)?.group ?? null;
}

/** Whether `me` may be the assignee of a ticket in `group`: the rule of the ticket page's assignee picker (members
 * of the group, any staff without one), so the box is not offered for an assignment the API would refuse after the
 * ticket exists. While the team has not loaded (or did not load) the API decides. */
export function mayAssignSelf(team: Pick<Team, "users" | "groups">, group: string | null, me: string): boolean {
  return team.users.length === 0 || assigneeChoices(team.users, team.groups, group, null).some((c) => c.id === me);
}

/** The customer a `#/new?email=…&name=…` route (a customer's page's "New ticket for …") fills in. */
export function newTicketInitial(route: string): Pick<TicketDraft, "email" | "name"> {
  const query = new URLSearchParams(route.split("?")[1] ?? "");
  return { email: query.get("email") ?? "", name: query.get("name") ?? "" };
}

export function NewTicket({ api, me, initial }: { api: ApiClient; me: string; initial?: Pick<TicketDraft, "email" | "name"> }) {
  const team = useTeam(api);
  const definitions = useTicketDefinitions(api);
  const forms = definitions.forms.filter((f) => f.active ?? true);
  const [draft, setDraft] = useState<TicketDraft>({ ...EMPTY_DRAFT, ...initial });
  // A new ticket has no values yet: its inputs are the active fields, a picked form's only, and of those the ones
  // its answers so far ask (the form's conditions, as the portal asks a customer; agents are not held to them).
  const asked = askedNow(editableFields(definitions.fields, {}), forms.find((f) => f.key === draft.form) ?? null,
    draft.fields).asked;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Set when the ticket was opened but the assignment after it failed: sending the form again would open a second one.
  const [opened, setOpened] = useState<Ticket | null>(null);
  // From the latest state: two edits before a render (a browser's autofill) both stay.
  const set = (patch: Partial<TicketDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setField = (key: string, value: unknown) => setDraft((d) => ({ ...d, fields: { ...d.fields, [key]: value } }));
  const group = openingGroup(draft, forms);
  const maySelf = mayAssignSelf(team, group, me);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = (await api.call("post", "/tickets", { body: ticketRequest(draft, asked) })).data;
      if (draft.assignToMe && maySelf) {
        try {
          // No If-Match: only the assignee is sent, and triage may already have changed the new ticket's group or
          // priority, which with the creation's ETag would be a 409 with nothing to lose.
          await saveChanges(api, created.id, { assignee_id: me }, null);
        } catch (problem) {
          setOpened(created);
          setError(problem);
          return;
        }
      }
      window.location.hash = `#/t/${created.id}`;
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-ticket-title">
      <p><a href="#/">← Queue</a></p>
      <h1 id="new-ticket-title">New ticket</h1>
      <form class="panel stack" data-testid="new-ticket-form" aria-labelledby="new-ticket-title" onSubmit={submit}>
        <CustomerFields draft={draft} set={set} />
        <label>Subject <input name="ticket-subject" required maxLength={500} value={draft.subject} onInput={(e) => set({ subject: e.currentTarget.value })} /></label>
        <label>Message (the customer's request as you took it)
          <textarea name="ticket-message" required rows={8} value={draft.message} onInput={(e) => set({ message: e.currentTarget.value })}
            onKeyDown={sendOnCtrlEnter} aria-keyshortcuts={SEND_SHORTCUTS} />
        </label>
        <label>Priority
          <select name="ticket-priority" value={draft.priority} onChange={(e) => set({ priority: e.currentTarget.value as Priority })}>
            {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <RequestFormSelect forms={forms} value={draft.form} onChange={(form) => set({ form })} />
        {asked.length ? (
          <fieldset data-testid="new-ticket-fields">
            <legend>Ticket fields</legend>
            <TicketFieldInputs fields={asked} value={(key) => draft.fields[key]} onChange={setField} />
          </fieldset>
        ) : null}
        <GroupSelect groups={team.groups} value={draft.group} error={error} onChange={(group) => set({ group })} />
        {team.error ? <Alert error={team.error} /> : null}
        <label>Cc (optional, addresses separated by commas)
          <input name="ticket-cc" value={draft.cc} onInput={(e) => set({ cc: e.currentTarget.value })} />
        </label>
        <label class="check">
          <input type="checkbox" name="assign-to-me" disabled={!maySelf} checked={draft.assignToMe && maySelf}
            onChange={(e) => set({ assignToMe: e.currentTarget.checked })} /> Assign to me
          {maySelf ? null : <span class="hint">(you are not a member of {group})</span>}
        </label>
        {opened ? <NotAssigned ticket={opened} /> : null}
        <Alert error={assignmentError(error, "group") ? null : error} />
        <div class="reply-actions">
          {opened ? <a class="button" href={`#/t/${opened.id}`}>Open {opened.number}</a>
            : <button type="submit" disabled={busy}>Create ticket</button>}
        </div>
      </form>
    </section>
  );
}

/** The kind of request, as customers pick it in the portal (shown only when the tenant has request forms). */
function RequestFormSelect({ forms, value, onChange }: { forms: TicketForm[]; value: string | null; onChange: (form: string | null) => void }) {
  if (forms.length === 0) return null;
  return (
    <label>Request form (optional; without a group chosen, the ticket opens in the form's)
      <select name="ticket-form" value={value ?? ""} onChange={(e) => onChange(e.currentTarget.value || null)}>
        <option value="">(none)</option>
        {forms.map((f) => <option key={f.key} value={f.key}>{f.name}</option>)}
      </select>
    </label>
  );
}

/** Who the ticket is for: the address is what the ticket, the portal and mail know the customer by; or no customer,
 * the team's own ticket (a problem others' tickets are linked to). */
function CustomerFields({ draft, set }: { draft: TicketDraft; set: (patch: Partial<TicketDraft>) => void }) {
  return (
    <fieldset>
      <legend>Customer</legend>
      <label class="check">
        <input type="checkbox" name="for-team" checked={draft.forTeam} onChange={(e) => set({ forTeam: e.currentTarget.checked })} />{" "}
        No customer: a ticket for the team (a problem, for customers' tickets to be linked to)
      </label>
      {draft.forTeam ? null : (
        <>
          <label>Email <input name="customer-email" type="email" required maxLength={254} autoComplete="off" value={draft.email}
            onInput={(e) => set({ email: e.currentTarget.value })} /></label>
          <label>Name (optional) <input name="customer-name" maxLength={200} autoComplete="off" value={draft.name}
            onInput={(e) => set({ name: e.currentTarget.value })} /></label>
        </>
      )}
    </fieldset>
  );
}

/** The ticket exists although assigning it failed (the alert below says why): open it rather than send again. */
function NotAssigned({ ticket }: { ticket: Ticket }) {
  return <p role="status" data-testid="opened-not-assigned">{ticket.number} is open for the customer but not assigned to you.</p>;
}
