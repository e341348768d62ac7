// The tenant's routing rules, checked before the AI: a rule whose every condition matches a new ticket gives it its
// group, its priority, tags or several of them (for the group and the priority, the first matching rule that sets one
// wins; tags add up over every matching rule). The admin's decision, applied
// whatever the AI's threshold unless the field is "off". Edited here as drafts (lists as typed) inside the AI
// settings form.
import type { components as Assist } from "../api/schema/assist";
import { PRIORITIES, type Group, type Priority } from "../api/types";
import { entries, moved } from "../shared/lists";

type RoutingRule = Assist["schemas"]["RoutingRule"];
type Channel = Assist["schemas"]["Channel"];

const CHANNELS: [Channel, string][] = [["email", "mail"], ["chat", "chat"], ["web", "portal"], ["api", "API"]];

export interface RuleDraft {
  key: number; // keeps each row's inputs with its rule when rules move
  group: string; // "" : the rule sets no group
  priority: Priority | ""; // "" : the rule sets no priority
  keywords: string;
  categories: string;
  channels: Channel[];
  domains: string;
  tags: string; // added to the ticket, comma separated
}

let nextKey = 0;

export function toRuleDraft(r: RoutingRule): RuleDraft {
  return { key: nextKey++, group: r.group ?? "", priority: r.priority ?? "", keywords: (r.keywords ?? []).join(", "), categories: (r.categories ?? []).join(", "),
    channels: r.channels ?? [], domains: (r.requester_domains ?? []).join(", "), tags: (r.tags ?? []).join(", ") };
}

export function fromRuleDraft(d: RuleDraft): RoutingRule {
  return { group: d.group || null, priority: d.priority || null, keywords: entries(d.keywords), categories: entries(d.categories), channels: d.channels, requester_domains: entries(d.domains), tags: entries(d.tags) };
}

export function RoutingRules({ rules, groups, onChange }: { rules: RuleDraft[]; groups: Group[]; onChange: (rules: RuleDraft[]) => void }) {
  const change = (key: number, patch: Partial<RuleDraft>) => onChange(rules.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset class="stack" data-testid="routing-rules">
      <legend>Routing rules</legend>
      <p class="hint">Checked in order before the AI; a rule matches when every condition it has matches. For the group and for the priority, the first matching rule that sets one wins, and is applied even where the AI only suggests (not when the field is off); the tags of every matching rule are added. Lists are comma separated; a keyword matches whole words in any case.</p>
      {rules.length === 0 ? <p>No rules: the AI (or a category's group) routes every ticket.</p> : null}
      {rules.map((r, i) => (
        <div class="panel stack" key={r.key} data-testid="routing-rule">
          <div class="filters">
            <strong>Rule {i + 1}</strong>
            <label>Group
              <select name="rule-group" required={!r.priority && !entries(r.tags).length} value={r.group} onChange={(e) => change(r.key, { group: e.currentTarget.value })}>
                <option value="">{r.priority || entries(r.tags).length ? "(leave to the AI)" : "choose a group"}</option>
                {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
                {r.group && !groups.some((g) => g.id === r.group) ? <option value={r.group}>{r.group} (not in the team)</option> : null}
              </select>
            </label>
            <label>Priority
              <select name="rule-priority" value={r.priority} onChange={(e) => change(r.key, { priority: e.currentTarget.value as Priority | "" })}>
                <option value="">(leave to the AI)</option>
                {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
              </select>
            </label>
            <button type="button" class="link" disabled={i === 0} onClick={() => onChange(moved(rules, i, -1))}>Up <span class="sr-only">rule {i + 1}</span></button>
            <button type="button" class="link" disabled={i === rules.length - 1} onClick={() => onChange(moved(rules, i, 1))}>Down <span class="sr-only">rule {i + 1}</span></button>
            <button type="button" class="link" onClick={() => onChange(rules.filter((x) => x.key !== r.key))}>Remove <span class="sr-only">rule {i + 1}</span></button>
          </div>
          <label>Add these tags <input name="rule-tags" value={r.tags} placeholder="vip, outage" onInput={(e) => change(r.key, { tags: e.currentTarget.value })} /></label>
          <label>Any of these words <input name="rule-keywords" value={r.keywords} onInput={(e) => change(r.key, { keywords: e.currentTarget.value })} /></label>
          <label>Any of these categories <input name="rule-categories" value={r.categories} onInput={(e) => change(r.key, { categories: e.currentTarget.value })} /></label>
          <label>Requester's mail domain <input name="rule-domains" value={r.domains} placeholder="example.com" onInput={(e) => change(r.key, { domains: e.currentTarget.value })} /></label>
          <div class="filters" role="group" aria-label={`Channels of rule ${i + 1}`}>
            Channels (none ticked: any)
            {CHANNELS.map(([channel, label]) => (
              <label class="check" key={channel}>
                <input type="checkbox" name={`rule-channel-${channel}`} checked={r.channels.includes(channel)}
                  onChange={(e) => change(r.key, { channels: e.currentTarget.checked ? [...r.channels, channel] : r.channels.filter((c) => c !== channel) })} />
                {label}
              </label>
            ))}
          </div>
        </div>
      ))}
      <div><button type="button" onClick={() => onChange([...rules, toRuleDraft({ group: groups[0]?.id ?? "" })])}>Add rule</button></div>
    </fieldset>
  );
}
