// What a policy does besides measuring: who is mailed the warnings and breaches of each group's tickets (shared
// mailboxes, beside the assignee the directory knows), and what a breach changes on the ticket.
import type { components as Sla } from "../api/schema/sla";
import { LANGUAGE_NAMES, LANGUAGES, pickLanguage, type Lang } from "../shared/language";

type Policy = Sla["schemas"]["SlaPolicy"];
type Escalation = Sla["schemas"]["Escalation"];

/** The policy's group mails as the form's text: one line per group, "group: address, address". */
export function groupMailsText(mails: Policy["group_emails"]): string {
  return Object.entries(mails ?? {}).map(([group, addresses]) => `${group}: ${addresses.join(", ")}`).join("\n");
}

/** The form's text as group mails; a line without "group:" before its addresses is named as the error. */
export function parseGroupMails(text: string): { mails: Record<string, string[]> } | { error: string } {
  const mails: Record<string, string[]> = {};
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(":");
    const group = colon > 0 ? line.slice(0, colon).trim() : "";
    const addresses = line.slice(colon + 1).split(/[\s,;]+/).filter(Boolean);
    if (!group || !addresses.length) return { error: `"${line}": write the group, a colon, then its addresses` };
    mails[group] = [...(mails[group] ?? []), ...addresses];
  }
  return { mails };
}

export function BreachFields({ mails, onMails, language, onLanguage, escalation, onEscalation }: {
  mails: string; onMails: (text: string) => void;
  language: Lang; onLanguage: (language: Lang) => void; // of the mails to the team's mailboxes (they have no profile)
  escalation: Escalation;
  onEscalation: (change: (e: Escalation) => Escalation) => void; // a change of the latest, two quick edits both count
}) {
  return (
    <fieldset>
      <legend>Warnings and breaches</legend>
      <label>Also mail them to the team's mailboxes: one line per group, the group, a colon, its addresses (the assignee is mailed anyway)
        <textarea name="policy-group-mails" rows={3} placeholder="billing: billing-team@example.com" value={mails}
          onInput={(e) => onMails(e.currentTarget.value)} /></label>
      <label>Write those mails in{" "}
        <select name="policy-group-mail-language" value={language}
          onChange={(e) => onLanguage(pickLanguage(e.currentTarget.value))}>
          {LANGUAGES.map((code) => <option key={code} value={code}>{LANGUAGE_NAMES[code]}</option>)}
        </select></label>
      <label class="check"><input type="checkbox" name="policy-raise-priority" checked={escalation.raise_priority ?? true}
        onChange={(e) => { const raise = e.currentTarget.checked; onEscalation((was) => ({ ...was, raise_priority: raise })); }} /> On a breach, raise the priority one step</label>
      <label>On a breach, move the ticket to this group (blank: it stays)
        <input name="policy-escalation-group" value={escalation.group ?? ""}
          onInput={(e) => { const group = e.currentTarget.value.trim() || null; onEscalation((was) => ({ ...was, group })); }} /></label>
    </fieldset>
  );
}
