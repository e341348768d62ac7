// A ticket opened from the chat carries the conversation as its description, one "[user] ..." / "[assistant] ..."
// line per turn under a "Chat transcript (conversation …):" header (helpdesk.assistant.service; triage reads the
// same lines). Pages show it as the conversation it was, with the roles named in the reader's words.
import type { JSX } from "preact";
import { linked, MessageMarkdown } from "./markdown";
import { Badge } from "./ui";

export interface TranscriptTurn {
  role: "user" | "assistant";
  text: string;
}

export interface Transcript {
  turns: TranscriptTurn[];
  /** The description was cut to its latest turns ("[earlier messages cut]"). */
  cut: boolean;
}

const HEADER = /^Chat transcript \(conversation [^)]*\):\s*$/;
const CUT = "[earlier messages cut]";
const TURN = /^\[(user|assistant)\] ?(.*)$/;

/** The turns of a chat transcript, or null when `text` is not one (a ticket written by its customer). */
export function parseTranscript(text: string): Transcript | null {
  const lines = text.split("\n");
  const cut = lines[0]?.trim() === CUT;
  if (!cut && !HEADER.test(lines[0] ?? "")) return null;
  const turns: TranscriptTurn[] = [];
  for (const line of lines.slice(1)) {
    const turn = TURN.exec(line);
    const last = turns[turns.length - 1];
    if (turn) turns.push({ role: turn[1] as TranscriptTurn["role"], text: turn[2] ?? "" });
    else if (last) last.text += `\n${line}`; // a message of several lines
    else if (line.trim() && !cut) return null; // text before the first turn: not ours
  }
  return turns.length ? { turns, cut } : null;
}

export interface TranscriptWords {
  user: string;
  assistant: string;
  earlierCut: string;
  /** What the visitor's "Did this answer your question?" said of an answer (the team's pages only). */
  ratedHelpful?: string;
  ratedNotHelpful?: string;
}

/** The answers a chat ticket's visitor rated, by their place in its transcript counted from the last turn (1), as
 * the ticket's AI context holds them (`ai.rated_turns`: the team's; the API gives customers none). */
export function ratedTurns(ai: unknown): Map<number, boolean> {
  const rated = new Map<number, boolean>();
  const turns = ai && typeof ai === "object" ? (ai as { rated_turns?: unknown }).rated_turns : undefined;
  for (const entry of Array.isArray(turns) ? turns : []) {
    const { turn, helpful } = (entry ?? {}) as { turn?: unknown; helpful?: unknown };
    if (typeof turn === "number" && Number.isInteger(turn) && turn >= 1 && typeof helpful === "boolean") rated.set(turn, helpful);
  }
  return rated;
}

/** A chat transcript as a list of turns; any other text as it was written, or, when its writer wrote it in Markdown
 * (`markdown`: the event's `data.format` is "markdown"), as the Markdown reads. `rated`: the visitor's ratings of the
 * assistant's answers (`ratedTurns`), shown beside them with `words.ratedHelpful` / `ratedNotHelpful`. */
export function MessageBody({ text, words, rated, markdown = false }: {
  text: string; words: TranscriptWords; rated?: ReadonlyMap<number, boolean>; markdown?: boolean;
}): JSX.Element {
  const transcript = parseTranscript(text);
  if (!transcript && markdown) return <MessageMarkdown source={text} class="body markdown" />;
  if (!transcript) return <p class="body">{linked(text)}</p>;
  const count = transcript.turns.length;
  return (
    <div class="transcript" data-testid="chat-transcript">
      {transcript.cut ? <p class="method">{words.earlierCut}</p> : null}
      <ol>
        {transcript.turns.map((turn, n) => (
          <li key={n} class={`turn ${turn.role}`}>
            <strong>{turn.role === "user" ? words.user : words.assistant}</strong>{" "}
            <span class="body">{linked(turn.text.trim())}</span>
            {turn.role === "assistant" ? <TurnRating helpful={rated?.get(count - n)} words={words} /> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

function TurnRating({ helpful, words }: { helpful: boolean | undefined; words: TranscriptWords }): JSX.Element | null {
  const label = helpful === undefined ? undefined : helpful ? words.ratedHelpful : words.ratedNotHelpful;
  if (!label) return null;
  return <>{" "}<Badge kind={helpful ? "rated-helpful" : "rated-not-helpful"}>{label}</Badge></>;
}

/** A key for one event of a ticket's history as read (with the messages of tickets merged into it): seqs count per
 * ticket, so a merged ticket's messages repeat the target's numbers; the ticket they came from tells them apart. */
export function eventKey(e: { seq: number; data: Record<string, unknown> }): string {
  return `${String(e.data.merged_from ?? "")}#${e.seq}`;
}
