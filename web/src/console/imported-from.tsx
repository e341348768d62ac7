// A ticket brought over from the helpdesk the team left (`helpdesk import zendesk|zammad|freescout`): where it came
// from, so an agent can find it there (its old id, a link to its page) and knows why its history predates this
// helpdesk.
import type { Ticket } from "../api/types";
import { when } from "../shared/format";
import { Badge } from "../shared/ui";
import { httpAddress } from "./chat-pages";

const SOURCES: Record<string, string> = { zendesk: "Zendesk", zammad: "Zammad", freescout: "FreeScout" };

/** "Imported from Zendesk #1001 on <date>": the number people knew it by there (else its id), linked to its old page
 * when that is an http(s) address. */
export function ImportedFrom({ origin }: { origin: Ticket["imported_from"] }) {
  if (!origin) return null;
  const name = SOURCES[origin.source] ?? origin.source;
  const page = origin.url && httpAddress(origin.url) ? origin.url : null;
  const id = `#${origin.number ?? origin.id}`;
  return (
    <p class="meta" data-testid="imported-from">
      Imported from {name} {page ? <a href={page} target="_blank" rel="noopener noreferrer">{id}</a> : id} on {when(origin.imported_at)}
    </p>
  );
}

/** A message written in the old helpdesk: marked, so nobody expects it was mailed from here. */
export function ImportedBadge({ data }: { data: Record<string, unknown> }) {
  const origin = data.imported_from as { source?: unknown } | undefined;
  if (!origin || typeof origin.source !== "string") return null;
  return <Badge kind="via" title="Written before the import, in the old helpdesk">in {SOURCES[origin.source] ?? origin.source}</Badge>;
}

/** The files of an imported message that stayed in the old helpdesk, each with why (a refused type, gone there). */
export function FilesLeft({ entries }: { entries: unknown }) {
  const left = (Array.isArray(entries) ? entries : []).filter(
    (f): f is { filename: string; reason: string } => typeof f?.filename === "string" && typeof f?.reason === "string");
  if (!left.length) return null;
  return (
    <p class="hint" data-testid="files-left">
      Not brought over: {left.map((f, i) => <>{i ? "; " : ""}{f.filename} ({f.reason})</>)}
    </p>
  );
}
