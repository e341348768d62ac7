// The quarantine on the Mail screen: mail held back or ignored, newest first (older pages on demand: out-of-office
// replies pile up there), found by sender, subject or reason ("did Dana's mail arrive?"), and "Let in" for what an
// admin may overrule (spam, automatic, a blocked sender, a failed authentication, an error): the API delivers it
// again as a person's mail (at once locally, a moment later in AWS, where the list is read again).
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Mail } from "../api/schema/mail";
import { when } from "../shared/format";
import { Alert } from "../shared/ui";

type HeldMail = Mail["schemas"]["HeldMail"];
export const READ_AGAIN_MS = 2500; // how long email_ingest takes to deliver it in AWS, about
const PAGE = 50;

/** Where a held mail went once delivered: a link to its ticket. */
function Delivered({ resolution }: { resolution: Record<string, unknown> }) {
  const id = typeof resolution.ticket_id === "string" ? resolution.ticket_id : null;
  const number = typeof resolution.ticket_number === "string" ? resolution.ticket_number : id;
  return id ? <a href={`#/t/${id}`} data-testid="held-mail-ticket">on {number}</a> : <>delivered</>;
}

/** An empty list: nothing held, or nothing held matches the search (yet: a search reads so much mail at a time). */
function NothingHeld({ searched, more }: { searched: string; more: boolean }) {
  if (!searched) return <p>Nothing quarantined.</p>;
  return <p>No held mail matches “{searched}”{more ? " in the newest mail read; search older mail below." : "."}</p>;
}

export function Quarantine({ api }: { api: ApiClient }) {
  const [items, setItems] = useState<HeldMail[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [older, setOlder] = useState<string | null>(null); // the next page's cursor
  const [typed, setTyped] = useState("");
  const [searched, setSearched] = useState(""); // the words the list shows the held mail of ("": all of it)
  const latest = useRef(0); // the last read sent: an earlier one answering after it is not shown
  const words = useRef(""); // `searched` as it is now, for a read a timer sends later
  words.current = searched;
  /** The first page (null), or the page after `cursor` added below what is shown; of the mail holding `words`. */
  const read = (cursor: string | null, words = searched) => {
    const mine = ++latest.current;
    return api.get("/mail/quarantine", {
      query: { limit: PAGE, ...(words ? { q: words } : {}), ...(cursor ? { cursor } : {}) },
    })
      .then((p) => {
        if (mine !== latest.current) return; // a later read (a search sent meanwhile) shows its own answer
        setItems((all) => (cursor ? [...(all ?? []), ...p.items] : p.items));
        setOlder(p.next_cursor ?? null);
      })
      .catch((err: unknown) => { if (mine === latest.current) setError(err); });
  };
  /** The box emptied (its ×, or the words deleted): the whole quarantine again. */
  const showAll = () => {
    setSearched("");
    void read(null, "");
  };
  const find = (e: SubmitEvent) => {
    e.preventDefault();
    const words = String(new FormData(e.currentTarget as HTMLFormElement).get("q") ?? "").trim(); // as submitted
    setError(null);
    setSearched(words);
    void read(null, words);
  };
  const more = () => {
    setError(null);
    void read(older);
  };
  useEffect(() => {
    void read(null);
  }, []);
  const letIn = async (held: HeldMail) => {
    setError(null);
    setNotice("");
    setBusy(held.delivery_id);
    try {
      const { data } = await api.call("post", "/mail/quarantine/{delivery_id}/deliver", { path: { delivery_id: held.delivery_id } });
      setItems((all) => (all ?? []).map((x) => (x.delivery_id === data.delivery_id ? data : x)));
      if (data.resolution) {
        setNotice(`The mail from ${held.sender ?? "an unknown sender"} was let in`);
      } else {
        setNotice(`The mail from ${held.sender ?? "an unknown sender"} is being delivered`);
        setTimeout(() => void read(null, words.current), READ_AGAIN_MS); // the search shown then, not at the click
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div data-testid="quarantine">
      <h2>Quarantine</h2>
      <p class="hint">Mail held back (spam, a virus, a failed sender check) or ignored (automatic mail, blocked senders). Let in a person’s mail held by mistake: it becomes a ticket, or a message on the ticket it answers.</p>
      <form role="search" class="filters" aria-label="Find held mail" onSubmit={find}>
        <label>Find held mail{" "}
          <input type="search" name="q" value={typed} maxLength={200} placeholder="sender, subject or reason" data-testid="held-mail-search"
            onInput={(e) => { setTyped(e.currentTarget.value); if (!e.currentTarget.value.trim() && searched) showAll(); }} />
        </label>
        <button type="submit">Search</button>
      </form>
      <Alert error={error} />
      <p role="status" class="notice">{notice}</p>
      {items === null ? (error ? null : <p>Loading…</p>) : items.length === 0 ? <NothingHeld searched={searched} more={older !== null} /> : (
        <table class="cards">
          <thead><tr><th scope="col">Received</th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Reason</th><th scope="col">Ticket</th></tr></thead>
          <tbody>
            {items.map((q) => (
              <tr key={q.delivery_id} data-testid="held-mail">
                <td data-label="Received">{when(q.received_at)}</td><td data-label="From">{q.sender}</td>
                <td class="card-title">{q.subject}</td><td data-label="Reason">{q.reason}{typeof q.details?.why === "string" ? ` (${q.details.why})` : ""}</td>
                <td data-label="Ticket">
                  {q.resolution ? <Delivered resolution={q.resolution} /> : q.deliverable ? (
                    <button type="button" class="link" disabled={busy !== null} onClick={() => void letIn(q)}>
                      Let in<span class="sr-only"> the mail from {q.sender ?? "an unknown sender"}: {q.subject ?? ""}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {older ? (
        <button type="button" class="link" data-testid="older-held-mail" onClick={more}>{searched ? "Search older mail" : "Older mail"}</button>
      ) : null}
    </div>
  );
}
