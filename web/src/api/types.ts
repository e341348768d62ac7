// Friendly names for the generated schema types the pages use.
import type { components as Assist } from "./schema/assist";
import type { components as Chat } from "./schema/chat";
import type { components as Kb } from "./schema/kb";
import type { components as Reports } from "./schema/reports";
import type { components as Search } from "./schema/search";
import type { components as Tickets } from "./schema/tickets";
import type { components as Tools } from "./schema/tools";

export type Ticket = Tickets["schemas"]["TicketOut"];
export type TicketPage = Tickets["schemas"]["TicketPageOut"];
export type TicketEvent = Tickets["schemas"]["EventOut"];
export type Status = Tickets["schemas"]["Status"];
export type Priority = Tickets["schemas"]["Priority"];
export type AssistOut = Assist["schemas"]["AssistOut"];
export type StartedSession = Chat["schemas"]["StartedSession"];
export type PostedReply = Chat["schemas"]["PostedReply"];
export type Transcript = Chat["schemas"]["Transcript"];
export type TranscriptMessage = Chat["schemas"]["TranscriptMessage"];
export type SearchHit = Kb["schemas"]["SearchHit"];
export type Article = Kb["schemas"]["ArticleOut"];
export type TicketHit = Search["schemas"]["SearchHitOut"];
export type SavedView = Tools["schemas"]["View"];
export type ViewFilters = Tools["schemas"]["ViewFilters"];
export type ViewCount = Tools["schemas"]["ViewCountOut"];
export type TicketRow = Tools["schemas"]["TicketRow"];
export type Macro = Tools["schemas"]["Macro"];
export type MacroApplication = Tools["schemas"]["MacroApplicationOut"];
export type CsatView = Reports["schemas"]["CsatView"];
export type CsatRating = NonNullable<Ticket["csat"]>;

export const STATUSES: Status[] = ["new", "open", "pending", "resolved", "closed"];
export const PRIORITIES: Priority[] = ["low", "normal", "high", "urgent"];
