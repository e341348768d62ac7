// A ticket brought over from the helpdesk the team left (`helpdesk import zendesk`): where it came from, so an agent
// can find it there (its old id, a link to its page) and knows why its history predates this helpdesk.
import type { Ticket } from "../api/types";
import { when } from "../shared/format";
import { httpAddress } from "./chat-pages";

const SOURCES: Record<string, string> = { zendesk: "Zendesk" };

/** "Imported from Zendesk #1001 on <date>", the id linked to its old page when that is an http(s) address. */
export function ImportedFrom({ origin }: { origin: Ticket["imported_from"] }) {
  if (!origin) return null;
  const name = SOURCES[origin.source] ?? origin.source;
  const page = origin.url && httpAddress(origin.url) ? origin.url : null;
  const id = `#${origin.id}`;
  return (
    <p class="meta" data-testid="imported-from">
      Imported from {name} {page ? <a href={page} target="_blank" rel="noopener noreferrer">{id}</a> : id} on {when(origin.imported_at)}
    </p>
  );
}
