// What AI did over the page's range (GET /reports/ai): chats answered without a ticket, the articles whose answers
// visitors rated (the worst first: the ones that mislead), triage suggestions kept or undone per field (applied by
// AI; accepted, corrected or rejected by an agent; reverted with everything AI applied), reply drafts sent as
// written, the pages chats were handed to a person from; with its CSV download. A field agents keep undoing is one to switch off.
import type { ApiClient } from "../api/client";
import type { components as ReportsSchema } from "../api/schema/reports";
import { percent, when } from "../shared/format";
import { Alert } from "../shared/ui";
import { httpAddress, PageLink } from "./chat-pages";
import { rangeQuery, useReport, type ReportRange } from "./report-range";
import { downloadCsv } from "./reports";

type FieldDecisions = ReportsSchema["schemas"]["FieldDecisions"];
type RatedArticle = ReportsSchema["schemas"]["RatedArticle"];
type HandoverPage = ReportsSchema["schemas"]["HandoverPage"];

const share = (x: number | null | undefined) => (x === null || x === undefined ? "—" : percent(x));

/** "3 of 4 (75%)", or "none rated" */
export function ratedHelpful(chat: { rated_helpful?: number; rated_not_helpful?: number; share_helpful?: number | null }): string {
  const helpful = chat.rated_helpful ?? 0;
  const rated = helpful + (chat.rated_not_helpful ?? 0);
  return rated ? `${helpful} of ${rated} (${share(chat.share_helpful)})` : "none rated";
}

/** "Articles whose chat answers were rated": the report's list (most rated not helpful first, a bounded few), each
 * article linked to its page in the knowledge base. Titles are as the answers cited them. */
export function RatedArticles({ articles, count, truncated }: { articles: RatedArticle[]; count: number; truncated: boolean }) {
  if (!articles.length) return null;
  return (
    <table data-testid="ai-rated-articles">
      <caption>Articles whose chat answers were rated{count > articles.length ? ` (the ${articles.length} most rated not helpful of ${count})` : ""}
        {truncated ? " (the range's first days only: too many to read)" : ""}</caption>
      <thead><tr><th scope="col">Article</th><th scope="col">Not helpful</th><th scope="col">Helpful</th></tr></thead>
      <tbody>
        {articles.map((a) => (
          <tr key={a.article_id}>
            <th scope="row"><a href={`#/kb/${encodeURIComponent(a.article_id)}`}>{a.title}</a></th>
            <td>{a.not_helpful}</td><td>{a.helpful}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Handed to a person from": the pages of the site the most chats went to a person from (their last page), where
 * an article or a clearer page would save the team tickets. Each opens in a new tab. */
export function HandoverPages({ pages }: { pages: HandoverPage[] }) {
  if (!pages.length) return null;
  return (
    <table data-testid="ai-handover-pages">
      <caption>Chats handed to a person, by the page they came from</caption>
      <thead><tr><th scope="col">Page</th><th scope="col">Handed over</th></tr></thead>
      <tbody>
        {pages.filter((p) => httpAddress(p.url)).map((p) => (
          <tr key={p.url}>
            <th scope="row"><PageLink page={p} /></th>
            <td>{p.handed_over}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TriageTable({ fields }: { fields: FieldDecisions[] }) {
  if (!fields.length) return <p>No triage suggestions in this period.</p>;
  return (
    <table class="cards" data-testid="ai-triage" tabIndex={0}>
      <caption>Triage suggestions by field</caption>
      <thead><tr><th scope="col">Field</th><th scope="col">Applied</th><th scope="col">Accepted</th><th scope="col">Rejected</th>
        <th scope="col">Corrected</th><th scope="col">Reverted</th></tr></thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.field}>
            <th scope="row">{f.field}</th><td data-label="Applied">{f.applied}</td><td data-label="Accepted">{f.accepted}</td>
            <td data-label="Rejected">{f.rejected}</td><td data-label="Corrected">{f.corrected}</td><td data-label="Reverted">{f.reverted}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AiReport({ api, range }: { api: ApiClient; range: ReportRange }) {
  const { report, error, setError } = useReport(() => api.get("/reports/ai", { query: { from: range.from, to: range.to } }),
    [range.from, range.to]);
  return (
    <section aria-labelledby="ai-report-title">
      <h1 id="ai-report-title">AI at work</h1>
      <Alert error={error} />
      <div class="toolbar">
        <button type="button" data-testid="ai-report-csv"
          onClick={() => void downloadCsv(api, `/reports/ai?${rangeQuery(range)}`, "ai.csv").catch(setError)}>Download CSV</button>
      </div>
      {report ? (
        <>
          <p>{when(report.since)} – {when(report.until)}, {report.tickets} {report.tickets === 1 ? "ticket" : "tickets"}{report.truncated ? " (truncated)" : ""}</p>
          <dl class="figures" data-testid="ai-totals">
            <dt>Chats</dt><dd>{report.chat.sessions}</dd>
            <dt>Answered without a ticket</dt><dd>{report.chat.answered_without_ticket} ({share(report.chat.share_answered)})</dd>
            <dt>Handed to a person</dt><dd>{report.chat.handed_over}</dd>
            {/* the visitors' "Did this answer your question?": the misleading rate, seen from their side */}
            <dt>Answers rated helpful</dt>
            <dd data-testid="ai-rated">{ratedHelpful(report.chat)}</dd>
            <dt>Reply drafts sent</dt><dd>{report.drafts.sent}</dd>
            <dt>Sent as drafted</dt><dd>{report.drafts.unchanged} ({share(report.drafts.share_unchanged)}), edited {report.drafts.edited}</dd>
            {/* a customer's reply that only thanked: their solved ticket stayed solved (AI settings) */}
            <dt>Thank-yous that kept a ticket solved</dt><dd data-testid="ai-thanks-kept">{report.thanks_kept_solved ?? 0}</dd>
          </dl>
          <RatedArticles articles={report.rated_articles ?? []} count={report.rated_articles_count ?? 0}
            truncated={report.rated_articles_truncated ?? false} />
          <HandoverPages pages={report.handover_pages ?? []} />
          <TriageTable fields={report.triage} />
        </>
      ) : error ? null : <p>Loading…</p>}
    </section>
  );
}
