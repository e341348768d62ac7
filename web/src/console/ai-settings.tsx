// AI settings (admins): how far triage may act on its own per field, reply drafts and the knowledge loop,
// routing rules, the chat widget's sites and look, and the links answers may show; then the tenant's ticket categories.
// The API takes the whole settings document on PUT, so the form saves what it loaded with the edits applied
// (settings this screen does not show, such as the coverage threshold, go back unchanged).
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Assist } from "../api/schema/assist";
import type { Group } from "../api/types";
import { entries } from "../shared/lists";
import { Alert } from "../shared/ui";
import { SavedMeanwhile } from "./saved-meanwhile";
import { TicketCategories } from "./ai-categories";
import { fromRuleDraft, RoutingRules, toRuleDraft, type RuleDraft } from "./ai-routing";
import { CopyField } from "./copy-field";
import { WidgetLookFields } from "./widget-look";

type Settings = Assist["schemas"]["TriageSettings"];
type WidgetLook = Assist["schemas"]["WidgetLook"];
type FieldPolicy = Assist["schemas"]["FieldPolicy"];
type Mode = NonNullable<FieldPolicy["mode"]>;

const FIELDS = [["category", "Category"], ["group", "Group"], ["priority", "Priority"]] as const;
const MODES: [Mode, string][] = [["auto", "apply when sure"], ["suggest", "suggest to the agent"], ["off", "off"]];

export function AiSettings({ api, tenant }: { api: ApiClient; tenant: string }) {
  const [groups, setGroups] = useState<Group[]>([]);
  useEffect(() => {
    api.get("/groups").then(setGroups).catch(() => setGroups([])); // the selects then offer only what is set
  }, []);
  return (
    <section aria-labelledby="ai-title">
      <h1 id="ai-title">AI settings</h1>
      <TriageSettingsForm api={api} groups={groups} tenant={tenant} />
      <TicketCategories api={api} groups={groups} />
    </section>
  );
}

/** The form's own copy of the settings: lists as typed, rules as drafts. */
interface SettingsDraft {
  loaded: Settings;
  fields: Record<string, FieldPolicy>;
  draftReply: boolean;
  knowledgeLoop: boolean;
  keepSolvedOnThanks: boolean;
  rules: RuleDraft[];
  origins: string;
  widget: WidgetLook;
  linkDomains: string;
}

function toSettingsDraft(s: Settings): SettingsDraft {
  return { loaded: s, fields: { ...(s.fields ?? {}) }, draftReply: s.draft_reply ?? true, knowledgeLoop: s.knowledge_loop ?? true,
    keepSolvedOnThanks: s.keep_solved_on_thanks ?? true,
    rules: (s.routing_rules ?? []).map(toRuleDraft), origins: (s.widget_origins ?? []).join("\n"), widget: s.widget ?? {}, linkDomains: (s.allowed_link_domains ?? []).join("\n") };
}

function fromSettingsDraft(d: SettingsDraft): Settings {
  return { ...d.loaded, fields: d.fields, draft_reply: d.draftReply, knowledge_loop: d.knowledgeLoop,
    keep_solved_on_thanks: d.keepSolvedOnThanks, routing_rules: d.rules.map(fromRuleDraft),
    widget_origins: entries(d.origins), widget: d.widget, allowed_link_domains: entries(d.linkDomains) };
}

/** The script tag a site adds to show the chat widget: served beside this console, talking to this API. */
export function widgetSnippet(siteOrigin: string, apiBase: string, tenant: string): string {
  const attr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  return `<script src="${attr(siteOrigin)}/widget/helpdesk-chat.js" data-tenant="${attr(tenant)}" data-api="${attr(apiBase.replace(/\/+$/, ""))}"></script>`;
}

function TriageSettingsForm({ api, groups, tenant }: { api: ApiClient; groups: Group[]; tenant: string }) {
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [etag, setEtag] = useState<string | null>(null); // the version read: a save over another admin's is 409
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const load = () => api.call("get", "/assist/settings", {}).then((r) => { setDraft(toSettingsDraft(r.data)); setEtag(r.etag); });
  useEffect(() => {
    load().catch(setError);
  }, []);
  if (!draft) return <><h2>Triage and answers</h2><Alert error={error} />{error ? null : <p>Loading…</p>}</>;
  const set = (patch: Partial<SettingsDraft>) => setDraft({ ...draft, ...patch });
  const setField = (name: string, patch: FieldPolicy) => set({ fields: { ...draft.fields, [name]: { ...draft.fields[name], ...patch } } });
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice("");
    try {
      const saved = await api.call("put", "/assist/settings", { body: fromSettingsDraft(draft), ifMatch: etag ?? undefined });
      setDraft(toSettingsDraft(saved.data));
      setEtag(saved.etag);
      setNotice("AI settings saved");
    } catch (err) {
      setError(err); // the form keeps what was typed
    }
  };
  const reload = () => { setError(null); setNotice(""); load().catch(setError); };
  return (
    <form class="panel stack" aria-labelledby="triage-title" onSubmit={save} data-testid="ai-settings">
      <h2 id="triage-title">Triage and answers</h2>
      <Alert error={error} />
      <p role="status" class="notice">{notice} <SavedMeanwhile error={error} what="these settings" onReload={reload} /></p>
      <table class="cards" data-testid="ai-fields">
        <thead><tr><th scope="col">Field</th><th scope="col">What triage does</th><th scope="col">Apply at confidence</th></tr></thead>
        <tbody>
          {FIELDS.map(([name, label]) => {
            const policy = draft.fields[name] ?? {};
            const mode = policy.mode ?? "suggest";
            return (
              <tr key={name}>
                <th scope="row">{label}</th>
                <td data-label="What triage does">
                  <select name={`mode-${name}`} aria-label={`${label}: what triage does`} value={mode}
                    onChange={(e) => setField(name, { mode: MODES.find(([m]) => m === e.currentTarget.value)?.[0] ?? "suggest" })}>
                    {MODES.map(([m, text]) => <option key={m} value={m}>{text}</option>)}
                  </select>
                </td>
                <td data-label="Apply at confidence">
                  <input name={`threshold-${name}`} aria-label={`${label}: apply at confidence`} type="number" min={0} max={1} step={0.05}
                    disabled={mode !== "auto"} value={policy.threshold ?? 0.8}
                    onInput={(e) => setField(name, { threshold: e.currentTarget.valueAsNumber })} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="hint">Applied changes show on the ticket as the AI's, with their confidence; an agent rejects or reverts them in one click. Below the confidence the result is only suggested.</p>
      <label class="check"><input type="checkbox" name="draft-reply" checked={draft.draftReply} onChange={(e) => set({ draftReply: e.currentTarget.checked })} /> Draft a cited reply for every new ticket</label>
      <label class="check"><input type="checkbox" name="knowledge-loop" checked={draft.knowledgeLoop} onChange={(e) => set({ knowledgeLoop: e.currentTarget.checked })} /> Draft an article from a resolved ticket no article covers (a person publishes it)</label>
      <label class="check"><input type="checkbox" name="keep-solved-on-thanks" checked={draft.keepSolvedOnThanks} onChange={(e) => set({ keepSolvedOnThanks: e.currentTarget.checked })} /> Keep a solved ticket solved when the customer only says thanks ("Thanks, that fixed it!"); anything more reopens it</label>
      <RoutingRules rules={draft.rules} groups={groups} onChange={(rules) => set({ rules })} />
      <label>Sites that embed the chat widget (origins such as https://www.example.com, one a line)
        <textarea name="widget-origins" rows={2} value={draft.origins} onInput={(e) => set({ origins: e.currentTarget.value })} />
      </label>
      <CopyField label="The widget's script tag, for those sites' pages (before </body>)" name="widget-snippet"
        value={widgetSnippet(window.location.origin, api.base() || window.location.origin, tenant)} />
      <p class="hint">Visitors your site has signed in can chat as themselves: see <a href="#/integrations">identity keys on the Integrations screen</a>.</p>
      <WidgetLookFields value={draft.widget} onChange={(widget) => set({ widget })} />
      <label>Domains an answer may link to (one a line; every other link quoted from an article is removed)
        <textarea name="link-domains" rows={2} value={draft.linkDomains} onInput={(e) => set({ linkDomains: e.currentTarget.value })} />
      </label>
      <div class="reply-actions"><button type="submit">Save AI settings</button></div>
    </form>
  );
}
