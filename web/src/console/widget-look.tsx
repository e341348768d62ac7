// How the chat widget looks on the team's sites (`TriageSettings.widget`): its title, its colour, its corner, and
// its title and greeting per language, with a preview of what a visitor sees first. The API refuses a colour white text cannot
// be read on (WCAG AA), naming its contrast; a language without a greeting gets the English one, else the built-in.
import { useState } from "preact/hooks";
import type { WidgetLook } from "../api/types";
import { LANGUAGE_NAMES, LANGUAGES, pickLanguage, type Lang } from "../shared/language";
import { STRINGS } from "../widget/i18n";
import { teamAccent, teamGreeting, teamTitle } from "../widget/look";

/** The widget's own colour, shown where the team chose none. */
const BUILT_IN_ACCENT = "#1f4fd1";

export function WidgetLookFields({ value, onChange }: { value: WidgetLook; onChange: (look: WidgetLook) => void }) {
  const [language, setLanguage] = useState<Lang>("en");
  const greetings: Partial<Record<Lang, string>> = value.greetings ?? {};
  const titles: Partial<Record<Lang, string>> = value.titles ?? {};
  const set = (patch: Partial<WidgetLook>) => onChange({ ...value, ...patch });
  const accent = value.accent_color ?? "";
  return (
    <fieldset class="stack" data-testid="widget-look">
      <legend>How the chat widget looks</legend>
      <label>Title (its header and button; blank: “{STRINGS.en.title}” in the visitor’s language)
        <input name="widget-title" maxLength={40} value={value.title ?? ""} onInput={(e) => set({ title: e.currentTarget.value || null })} />
      </label>
      <div class="filters">
        <label>Colour{" "}
          <input name="widget-colour" size={9} placeholder={`${BUILT_IN_ACCENT} (built-in)`} value={accent}
            onInput={(e) => set({ accent_color: e.currentTarget.value.trim() || null })} />
        </label>
        <input type="color" aria-label="Pick the colour" value={teamAccent(accent)?.toLowerCase() ?? BUILT_IN_ACCENT}
          onInput={(e) => set({ accent_color: e.currentTarget.value })} />
        <label>Corner{" "}
          <select name="widget-position" value={value.position ?? "right"}
            onChange={(e) => set({ position: e.currentTarget.value === "left" ? "left" : "right" })}>
            <option value="right">Bottom right</option>
            <option value="left">Bottom left</option>
          </select>
        </label>
      </div>
      <label>Greeting in{" "}
        <select name="widget-greeting-language" value={language}
          onChange={(e) => setLanguage(pickLanguage(e.currentTarget.value))}>
          {LANGUAGES.map((code) => <option key={code} value={code}>{LANGUAGE_NAMES[code]}{greetings[code]?.trim() || titles[code]?.trim() ? " (written)" : ""}</option>)}
        </select>
      </label>
      <label>Title in {LANGUAGE_NAMES[language]} (blank: the title above)
        <input name="widget-title-in-language" maxLength={40} placeholder={value.title ?? STRINGS[language].title}
          value={titles[language] ?? ""} onInput={(e) => set({ titles: { ...titles, [language]: e.currentTarget.value } })} />
      </label>
      <textarea name="widget-greeting" rows={2} maxLength={300} aria-label={`Greeting in ${LANGUAGE_NAMES[language]}`}
        placeholder={STRINGS[language].greeting} value={greetings[language] ?? ""}
        onInput={(e) => set({ greetings: { ...greetings, [language]: e.currentTarget.value } })} />
      <p class="hint">Blank: {language === "en" ? "the built-in greeting" : "the English greeting, else the built-in one"}. White text must
        read on the colour (a contrast of 4.5:1). Visitors see a change within about six minutes.</p>
      <WidgetPreview look={value} language={language} />
    </fieldset>
  );
}

/** What a visitor in `language` sees first: the header and greeting of the open widget and its button. */
export function WidgetPreview({ look, language }: { look: WidgetLook; language: Lang }) {
  const strings = STRINGS[language];
  const title = teamTitle(look, language) ?? strings.title;
  const chosen = teamAccent(look.accent_color);
  const accent = chosen ?? BUILT_IN_ACCENT;
  const header = chosen ?? "#18213a";  // the widget's own navy
  return (
    <figure class={`widget-preview ${look.position === "left" ? "left" : ""}`} data-testid="widget-preview">
      <figcaption class="hint">Preview ({LANGUAGE_NAMES[language]})</figcaption>
      <div class="widget-preview-panel">
        <div class="widget-preview-header" style={{ background: header }}>{title}</div>
        <p class="widget-preview-greeting">{teamGreeting(look, language) ?? strings.greeting}</p>
      </div>
      <span class="widget-preview-launcher" style={{ background: accent }}>? {title}</span>
    </figure>
  );
}
