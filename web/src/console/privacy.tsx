// Privacy requests (admins): export everything held about a person, erase them from every ticket, the
// retention period after which closed tickets lose their content, and whether card numbers are masked.
// Erasure cannot be undone, so the address is typed twice; one request works through at most 100 tickets,
// so a report with some remaining offers to continue.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Privacy } from "../api/schema/privacy";
import { Alert } from "../shared/ui";
import { SavedMeanwhile } from "./saved-meanwhile";

type ExportLink = Privacy["schemas"]["ExportLink"];
type ErasureReport = Privacy["schemas"]["ErasureReport"];
type PrivacySettings = Privacy["schemas"]["PrivacySettings"];
type CardMaskingRun = Privacy["schemas"]["CardMaskingRun"];

/** What the pages of a masking run add up to. */
export function addedUp(runs: CardMaskingRun[]) {
  const sum = (key: "tickets_read" | "tickets_masked" | "places") => runs.reduce((n, run) => n + run[key], 0);
  return { read: sum("tickets_read"), masked: sum("tickets_masked"), places: sum("places") };
}

export function PrivacyRequests({ api }: { api: ApiClient }) {
  return (
    <>
      <PersonExport api={api} />
      <PersonErasure api={api} />
      <PrivacySettingsForm api={api} />
      <WrittenCardsMasking api={api} />
    </>
  );
}

function PersonExport({ api }: { api: ApiClient }) {
  const [email, setEmail] = useState("");
  const [link, setLink] = useState<ExportLink | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setLink(null);
    try {
      setLink((await api.call("post", "/privacy/export", { body: { email: email.trim() } })).data);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel stack" aria-labelledby="export-title" onSubmit={submit} data-testid="privacy-export">
      <h2 id="export-title">Export a person's data</h2>
      <p class="hint">Every ticket the address is on, with its whole history (internal notes included and flagged: you decide what to hand over), the chats they came from and links to their files.</p>
      <Alert error={error} />
      <label>Address <input name="export-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} /></label>
      <div class="reply-actions"><button type="submit">Export</button></div>
      {link ? (
        <p role="status" class="notice" data-testid="export-ready">
          {link.tickets} tickets, {link.events} events, {link.chats} chats, {link.attachments} files.{" "}
          <a href={link.url} download>Download the archive</a> (the link works for {Math.round(link.expires_in / 60)} minutes; the archive is deleted after 7 days).
        </p>
      ) : null}
    </form>
  );
}

function PersonErasure({ api }: { api: ApiClient }) {
  const [email, setEmail] = useState("");
  const [again, setAgain] = useState("");
  const [report, setReport] = useState<ErasureReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const same = email.trim().toLowerCase() === again.trim().toLowerCase();
  const erase = async () => {
    setError(null);
    try {
      setReport((await api.call("post", "/privacy/erase", { body: { email: email.trim() } })).data);
    } catch (err) {
      setError(err);
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    setReport(null);
    if (same) void erase();
  };
  return (
    <form class="panel stack" aria-labelledby="erase-title" onSubmit={submit} data-testid="privacy-erase">
      <h2 id="erase-title">Erase a person</h2>
      <p class="hint">They leave every ticket: as requester they become a pseudonym and their messages read [erased]; their files and original mails are deleted. This cannot be undone.</p>
      <Alert error={error} />
      <label>Address <input name="erase-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} /></label>
      <label>The address again, to confirm <input name="erase-email-again" type="email" required value={again} onInput={(e) => setAgain(e.currentTarget.value)} /></label>
      {again && !same ? <p class="hint" role="alert">The two addresses differ.</p> : null}
      <div class="reply-actions"><button type="submit" class="danger" disabled={!email || !same}>Erase</button></div>
      {report ? (
        <div role="status" class="notice" data-testid="erasure-report">
          {report.already_erased ? "Already erased. " : ""}Now {report.pseudonym}: {report.tickets} tickets, {report.events_redacted} events redacted,{" "}
          {report.chat_sessions} chats, {report.objects_deleted} files and mails deleted,
          {" "}{report.drafts_deleted ?? 0} draft articles from their tickets deleted.
          {report.remaining ? <> {report.remaining} tickets remain. <button type="button" onClick={() => void erase()}>Continue</button></> : null}
        </div>
      ) : null}
    </form>
  );
}

/** What the settings say, in a sentence: the status line after a save. */
export function settingsNotice(saved: PrivacySettings): string {
  const retention = saved.retention_days ? `Closed tickets lose their content ${saved.retention_days} days after closing` : "Tickets keep their content";
  return `${retention}; card numbers ${saved.mask_card_numbers ? "are masked as they are written" : "stay as written"}.`;
}

function PrivacySettingsForm({ api }: { api: ApiClient }) {
  const [days, setDays] = useState<string | null>(null); // "" is no retention period
  const [mask, setMask] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [etag, setEtag] = useState<string | null>(null); // the version read: a save over another admin's is 409
  const show = (settings: PrivacySettings) => {
    setDays(settings.retention_days ? String(settings.retention_days) : "");
    setMask(settings.mask_card_numbers ?? false);
  };
  const load = () => api.call("get", "/privacy/settings", {}).then((r) => {
    show(r.data);
    setEtag(r.etag);
  });
  useEffect(() => {
    load().catch(setError);
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice("");
    try {
      const form = new FormData(e.currentTarget as HTMLFormElement); // as shown, however quick the click
      const typed = String(form.get("retention-days") ?? "");
      const body = { retention_days: typed ? Number(typed) : null, mask_card_numbers: form.has("mask-card-numbers") };
      const answer = await api.call("put", "/privacy/settings", { body, ifMatch: etag ?? undefined });
      setEtag(answer.etag);
      show(answer.data);
      setNotice(settingsNotice(answer.data));
    } catch (err) {
      setError(err); // the form keeps what was typed
    }
  };
  const reload = () => { setError(null); setNotice(""); load().catch(setError); };
  if (days === null) return <><h2>Retention and card numbers</h2><Alert error={error} />{error ? null : <p>Loading…</p>}</>;
  return (
    <form class="panel stack" aria-labelledby="privacy-settings-title" onSubmit={submit} data-testid="privacy-settings">
      <h2 id="privacy-settings-title">Retention and card numbers</h2>
      <Alert error={error} />
      <p role="status" class="notice">{notice} <SavedMeanwhile error={error} what="the privacy settings" onReload={reload} /></p>
      <label>Days after closing when a ticket's subject, messages and files are removed (blank: never; who, when and status stay)
        <input name="retention-days" type="number" min={1} max={3650} value={days} onInput={(e) => setDays(e.currentTarget.value)} />
      </label>
      <label class="check">
        <input name="mask-card-numbers" type="checkbox" checked={mask} onChange={(e) => setMask(e.currentTarget.checked)} />
        Mask card numbers as they are written: in mail, chat, replies and notes only the last four digits are kept
      </label>
      <div class="reply-actions"><button type="submit">Save privacy settings</button></div>
    </form>
  );
}

/** The card numbers written before masking was on: masked now, page by page (the API reads a page of tickets a
 * call), the running count shown as it goes. */
function WrittenCardsMasking({ api }: { api: ApiClient }) {
  const [runs, setRuns] = useState<CardMaskingRun[]>([]);
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const run = async () => {
    setConfirming(false);
    setError(null);
    setDone(false);
    setRunning(true);
    const seen: CardMaskingRun[] = [];
    try {
      let cursor: string | null = null;
      do {
        const page: CardMaskingRun = (await api.call("post", "/privacy/card-masking", { body: { cursor } })).data;
        seen.push(page);
        setRuns([...seen]);
        cursor = page.next_cursor ?? null;
      } while (cursor);
      setDone(true);
    } catch (err) {
      setError(err); // what was masked stays masked; running again goes over the rest
    } finally {
      setRunning(false);
    }
  };
  const total = addedUp(runs);
  return (
    <section class="panel stack" aria-labelledby="written-cards-title" data-testid="written-cards">
      <h2 id="written-cards-title">Card numbers written before</h2>
      <p>Masking applies to what is written from the moment it is on. This masks the card numbers already in the
        team's tickets, their chats and their AI summaries the same way; a mail holding one loses its HTML copy.</p>
      <Alert error={error} />
      {runs.length ? (
        <p role="status" class="notice">
          {done ? "Done: " : "Masking… "}{total.read} tickets read, card numbers masked in {total.masked} ({total.places} places).
        </p>
      ) : null}
      <div class="reply-actions">
        {confirming ? (
          <span role="group" aria-label="Mask every card number already written? This cannot be undone.">
            <button type="button" class="danger" data-testid="written-cards-confirm" onClick={() => void run()}>
              Mask them: this cannot be undone
            </button>{" "}
            <button type="button" class="link" onClick={() => setConfirming(false)}>Keep them</button>
          </span>
        ) : (
          <button type="button" data-testid="written-cards-start" disabled={running} onClick={() => setConfirming(true)}>
            Mask card numbers already written
          </button>
        )}
      </div>
    </section>
  );
}
