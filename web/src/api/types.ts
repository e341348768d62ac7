// Friendly names for the generated schema types the pages use.
import type { components as Assist } from "./schema/assist";
import type { components as Chat } from "./schema/chat";
import type { components as Directory } from "./schema/directory";
import type { components as Imports } from "./schema/imports";
import type { components as Kb } from "./schema/kb";
import type { components as Reports } from "./schema/reports";
import type { components as Search } from "./schema/search";
import type { components as Tickets } from "./schema/tickets";
import type { components as Tools } from "./schema/tools";

export type Ticket = Tickets["schemas"]["TicketOut"];
export type TicketPage = Tickets["schemas"]["TicketPageOut"];
export type TicketEvent = Tickets["schemas"]["EventOut"];
// the message an agent or customer wrote, as an event, with what became of each child ticket when sent to them too
export type MessageOut = Tickets["schemas"]["MessageOut"];
// how a message's text reads: as written ("text", the default), or as Markdown (the console's reply box writes it so)
export type MessageFormat = NonNullable<Tickets["schemas"]["MessageRequest"]["format"]>;
export type BulkResult = Tickets["schemas"]["BulkResult"]; // one ticket of a write to many: updated, skipped, refused
export type Viewer = Tickets["schemas"]["Viewer"];
export type Status = Tickets["schemas"]["Status"];
export type AddressesLinked = Tickets["schemas"]["AddressesLinked"];
export type Priority = Tickets["schemas"]["Priority"];
export type TicketField = Tickets["schemas"]["TicketField"];
export type TicketFieldType = TicketField["type"];
export type TicketFieldsView = Tickets["schemas"]["TicketFieldsView"];
export type TicketForm = Tickets["schemas"]["TicketForm"];
export type FormCondition = Tickets["schemas"]["FormCondition"]; // fields a form asks only after an answer to another
export type NotificationItem = Tickets["schemas"]["NotificationOut"]; // an agent's news of a ticket (`GET /notifications`)
export type NotificationPage = Tickets["schemas"]["NotificationPageOut"];
export type AssistOut = Assist["schemas"]["AssistOut"];
export type StartedSession = Chat["schemas"]["StartedSession"];
export type PostedReply = Chat["schemas"]["PostedReply"];
export type Transcript = Chat["schemas"]["Transcript"];
export type TranscriptMessage = Chat["schemas"]["TranscriptMessage"];
export type WidgetLook = Chat["schemas"]["WidgetLook"];
export type SearchHit = Kb["schemas"]["SearchHitOut"];
export type Article = Kb["schemas"]["ArticleOut"];
export type ArticleDetail = Kb["schemas"]["ArticleDetailOut"]; // an article with its other languages
export type PublicArticle = Kb["schemas"]["PublicArticleOut"];
export type ArticleImage = Kb["schemas"]["ArticleImageView"];
export type PublicArticleSummary = Kb["schemas"]["PublicArticleSummary"];
export type PublicTranslation = Kb["schemas"]["PublicTranslation"];
export type HelpCenterSection = Kb["schemas"]["HelpCenterSection"];
export type TicketHit = Search["schemas"]["SearchHitOut"];
export type Customer = Search["schemas"]["CustomerOut"]; // a row of the Customers list (`GET /customers`)
export type SavedView = Tools["schemas"]["View"];
export type ViewFilters = Tools["schemas"]["ViewFilters"];
export type LinkType = NonNullable<ViewFilters["link_type"]>; // "child": the ticket is a problem
export type ViewCount = Tools["schemas"]["ViewCountOut"];
export type TicketRow = Tools["schemas"]["TicketRow"];
export type Macro = Tools["schemas"]["Macro"];
export type MacroApplication = Tools["schemas"]["MacroApplicationOut"];
export type MacroDraft = Tools["schemas"]["MacroDraft"];
export type MacroActions = Tools["schemas"]["MacroActions"];
export type Scope = Tools["schemas"]["Scope"];
export type CsatView = Reports["schemas"]["CsatView"];
export type CsatRating = NonNullable<Ticket["csat"]>;
export type User = Directory["schemas"]["User"];
export type UserPage = Directory["schemas"]["UserPage"];
export type NewUser = Directory["schemas"]["NewUser"];
export type UserChange = Directory["schemas"]["UserChange"];
export type TicketAccess = Directory["schemas"]["TicketAccess"];
export type ProfileChange = Directory["schemas"]["ProfileChange"];
export type CustomerProfile = Directory["schemas"]["CustomerProfile"];
export type CustomerProfileChange = Directory["schemas"]["CustomerProfileChange"];
export type Role = User["role"];
export type Group = Directory["schemas"]["Group"];
export type NewGroup = Directory["schemas"]["NewGroup"];
export type GroupChange = Directory["schemas"]["GroupChange"];
export type Organization = Directory["schemas"]["Organization"];
export type NewOrganization = Directory["schemas"]["NewOrganization"];
export type OrganizationChange = Directory["schemas"]["OrganizationChange"];
export type ImportJob = Imports["schemas"]["ImportJob"];
export type NewImport = Imports["schemas"]["NewImport"];
export type ImportReport = Imports["schemas"]["ImportReport"];
export type ItemImportReport = Imports["schemas"]["ItemImportReport"];
export type ArticleImportReport = Imports["schemas"]["ArticleImportReport"];
export type ImportSource = ImportJob["source"];
export type ConnectionCheck = Imports["schemas"]["ConnectionCheck"];

export const STATUSES: Status[] = ["new", "open", "pending", "on_hold", "resolved", "closed"];
export const PRIORITIES: Priority[] = ["low", "normal", "high", "urgent"];
