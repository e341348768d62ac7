// The triage record inside `AssistOut.triage` (the API types it as an object; its shape is
// helpdesk.triage.model.TriageResult). Read defensively: every field may be missing.
export interface FieldResult {
  value: unknown;
  confidence: number;
  level: "high" | "medium" | "low";
  method: string;
  reasons?: string[];
  state: "suggested" | "applied" | "accepted" | "rejected" | "reverted" | "skipped";
  previous?: unknown;
  detail?: Record<string, unknown>;
}

export interface Citation {
  n?: number | null;
  article_id: string;
  title: string;
  url?: string | null;
  anchor?: string | null;
}

export interface ReplyDraft {
  text: string;
  citations: Citation[];
  confidence: number;
  level: string;
  method: string;
  state: FieldResult["state"];
  notes?: string[];
  generated_at?: string;
}

export interface SimilarTicket {
  ticket_id: string;
  number: string;
  subject: string;
  score: number;
}

export interface Triage {
  summary?: FieldResult;
  intent?: FieldResult;
  category?: FieldResult;
  sentiment?: FieldResult;
  language?: FieldResult;
  priority?: FieldResult;
  group?: FieldResult;
  similar_tickets?: SimilarTicket[];
  similar_method?: string;
  reply?: ReplyDraft | null;
  notes?: string[];
  model?: string;
}

export const APPLICABLE = ["priority", "group", "category"] as const;
export type Applicable = (typeof APPLICABLE)[number];

export function triageOf(raw: Record<string, unknown> | null | undefined): Triage | null {
  return raw ? (raw as Triage) : null;
}

export function display(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length ? value.map(String).join(", ") : "—";
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (typeof v.label === "string") return v.label;
    return JSON.stringify(value);
  }
  return String(value);
}
