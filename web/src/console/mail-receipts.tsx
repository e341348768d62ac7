// The receipt of a new mail ticket in the team's own words, one text per language (`MailSettings.receipts`). A
// language without a text gets the English one, and with no text at all the built-in receipt goes out. The line
// on how to add to the ticket and the signature always follow what is written here.
import { useState } from "preact/hooks";

export type Receipts = Record<string, string>;

const LANGUAGES: readonly (readonly [string, string])[] = [
  ["en", "English"], ["de", "Deutsch"], ["es", "Español"], ["fr", "Français"], ["pt", "Português"],
];

export function ReceiptTexts({ value, onChange }: { value: Receipts; onChange: (receipts: Receipts) => void }) {
  const [language, setLanguage] = useState("en");
  const name = LANGUAGES.find(([code]) => code === language)?.[1] ?? language;
  return (
    <fieldset data-testid="receipts">
      <legend>Receipt of a new mail ticket</legend>
      <label>Language{" "}
        <select name="receipt-language" value={language} onChange={(e) => setLanguage(e.currentTarget.value)}>
          {LANGUAGES.map(([code, label]) => (
            <option key={code} value={code}>{label}{value[code]?.trim() ? " (written)" : ""}</option>
          ))}
        </select>
      </label>
      <label>Text in {name}
        <textarea name="receipt-text" rows={4} maxLength={2000} value={value[language] ?? ""}
          onInput={(e) => onChange({ ...value, [language]: e.currentTarget.value })} />
      </label>
      <p class="hint">
        Placeholders: {"{number}"} (the ticket's number), {"{subject}"}, {"{name}"} (the customer's name); a literal brace is
        written twice. Blank: {language === "en" ? "the built-in receipt" : "the English text, else the built-in receipt"}.
      </p>
    </fieldset>
  );
}
