// The signed-in agent's own settings: the language and time zone of the mails the helpdesk sends them, the signature
// under their mailed replies, whether they get mail about their tickets and about every new ticket of their groups,
// whether they are away (no new tickets from a group's automatic assignment), and where the console goes after they
// send a reply (PATCH /users/me).
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { ProfileChange, User } from "../api/types";
import { LANGUAGE_NAMES, LANGUAGES } from "../shared/language";
import type { AfterReply } from "./shown-list";
import type { TeamActions } from "./team";

export function MyProfile({ api, me, users, actions }: {
  api: ApiClient; me: string; users: User[]; actions: TeamActions;
}) {
  const mine = users.find((u) => u.id === me);
  const [draft, setDraft] = useState<ProfileChange>({});
  // The version the draft was read from: the form shows only once it holds the record, so a quick change is never
  // made on (and saved with) the empty draft of the first render.
  const [readFrom, setReadFrom] = useState<number | null>(null);
  useEffect(() => {
    if (mine) {
      setDraft({ language: mine.language ?? null, time_zone: mine.time_zone ?? null, signature: mine.signature ?? null,
                 notify_by_mail: mine.notify_by_mail !== false, notify_new_tickets: mine.notify_new_tickets === true, away: mine.away === true,
                 after_reply: mine.after_reply ?? "stay" });
      setReadFrom(mine.version ?? 1);
    }
  }, [mine?.version]);
  if (!mine || readFrom === null) return null;  // not in the directory yet (enrolled at the next sign-in), or not read
  const submit = (e: Event) => {
    e.preventDefault();
    const body: ProfileChange = { ...draft, signature: draft.signature?.trim() ? draft.signature : null };
    void actions.change("Your settings are saved", () => api.call("patch", "/users/me", { body }));
  };
  return (
    <form class="panel stack" aria-labelledby="my-profile-title" data-testid="my-profile" onSubmit={submit}>
      <h2 id="my-profile-title">My settings</h2>
      <label>Language of mails to me
        <select name="my-language" value={draft.language ?? ""} onChange={(e) => setDraft({ ...draft, language: e.currentTarget.value || null })}>
          <option value="">Not set (English)</option>
          {LANGUAGES.map((code) => <option key={code} value={code} lang={code}>{LANGUAGE_NAMES[code]}</option>)}
        </select>
      </label>
      <label>Time zone of the times in mails to me
        <select name="my-time-zone" value={draft.time_zone ?? ""} onChange={(e) => setDraft({ ...draft, time_zone: e.currentTarget.value || null })}>
          <option value="">Not set (UTC)</option>
          {timeZoneChoices(draft.time_zone ?? null).map((zone) => <option key={zone} value={zone}>{zone}</option>)}
        </select>
      </label>
      <label>Signature under my mailed replies
        <textarea name="my-signature" rows={3} maxLength={2000} value={draft.signature ?? ""}
          onInput={(e) => setDraft({ ...draft, signature: e.currentTarget.value })} />
      </label>
      <label class="check">
        <input type="checkbox" name="my-notify" checked={draft.notify_by_mail !== false}
          onChange={(e) => setDraft({ ...draft, notify_by_mail: e.currentTarget.checked })} /> Mail me about tickets assigned to me
      </label>
      <label class="check">
        <input type="checkbox" name="my-new-tickets" checked={draft.notify_new_tickets === true}
          onChange={(e) => setDraft({ ...draft, notify_new_tickets: e.currentTarget.checked })} /> Mail me every new ticket in my queue (my groups; for admins and agents in no group, the tickets in no group)
      </label>
      <label class="check">
        <input type="checkbox" name="my-away" checked={draft.away === true}
          onChange={(e) => setDraft({ ...draft, away: e.currentTarget.checked })} /> Away — take no new tickets from automatic assignment (the tickets already mine stay mine)
      </label>
      <label>After I send a reply
        <select name="my-after-reply" value={draft.after_reply ?? "stay"}
          onChange={(e) => setDraft({ ...draft, after_reply: e.currentTarget.value as AfterReply })}>
          <option value="stay">Stay on the ticket</option>
          <option value="next">Open the next ticket of the list</option>
          <option value="list">Go back to the list</option>
        </select>
      </label>
      <div class="reply-actions"><button type="submit" disabled={actions.busy}>Save my settings</button></div>
    </form>
  );
}

/** The IANA zones to choose from: this browser's first (the likely one), then all the browser knows; a saved zone the
 * browser does not list stays offered. */
export function timeZoneChoices(saved: string | null): string[] {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const known = Intl.supportedValuesOf("timeZone");
  return [...new Set([...(saved ? [saved] : []), ...(here && here !== "UTC" ? [here] : []), ...known])];
}
