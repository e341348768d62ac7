// The tenant's look for its widget (`GET /chat/widget`: the team's title, greetings, colour and corner), turned
// into what the widget shows. Only values of the expected shape are used: the API checks them when an admin saves
// them, and the widget checks again before any of them reaches a style sheet.
import type { WidgetLook } from "../api/types";
import type { Lang } from "../shared/language";
import { PHONE_MAX_PX } from "./style";

const HEX = /^#[0-9a-f]{6}$/i;

/** The team's accent colour when it is one (`#rrggbb`), else null: nothing else reaches a style. */
export function teamAccent(value: unknown): string | null {
  return typeof value === "string" && HEX.test(value) ? value : null;
}

/** The team's greeting in the visitor's language, else the team's English one, else null (the built-in greeting
 *  in the visitor's language): the rule the team's mail receipts follow. */
export function teamGreeting(look: WidgetLook | null, lang: Lang): string | null {
  const greetings = (look?.greetings ?? {}) as Partial<Record<string, unknown>>;
  const text = greetings[lang] ?? greetings.en;
  return typeof text === "string" && text.trim() ? text : null;
}

/** The team's name for the widget in the visitor's language, else its one title, else null (the built-in "Help" in
 *  the visitor's language). */
export function teamTitle(look: WidgetLook | null, lang: Lang): string | null {
  const titles = (look?.titles ?? {}) as Partial<Record<string, unknown>>;
  const title = titles[lang] ?? look?.title;
  return typeof title === "string" && title.trim() ? title.trim() : null;
}

/** `#rrggbb` mixed with white: `share` of the colour (the visitor's own messages are a light tint of it). */
function tint(hex: string, share: number): string {
  const mixed = [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * share + 255 * (1 - share)));
  return `#${mixed.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** The style sheet the look adds to the widget's own: the accent colour and the corner. Empty for the defaults. */
export function lookCss(look: WidgetLook | null): string {
  const rules: string[] = [];
  const accent = teamAccent(look?.accent_color);
  if (accent) {
    rules.push(`:host { --accent: ${accent}; --header: ${accent}; --mine: ${tint(accent, 0.16)}; --mine-line: ${tint(accent, 0.35)}; }`);
  }
  if (look?.position === "left") {
    // not on a phone, where the open conversation takes the whole screen whichever corner the launcher is in
    rules.push(":host { left: 20px; right: auto; }", `@media (min-width: ${PHONE_MAX_PX + 1}px) { .panel { left: 0; right: auto; } }`,
      ".launcher { margin-left: 0; margin-right: auto; }");
  }
  return rules.join("\n");
}
