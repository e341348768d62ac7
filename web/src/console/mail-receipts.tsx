// The receipt of a new request (a mail ticket, or one a customer opens in the portal) in the team's own words, one text per language (`MailSettings.receipts`). A
// language without a text gets the English one, and with no text at all the built-in receipt goes out. The line
// on how to add to the ticket and the signature always follow what is written here.
import { useState } from "preact/hooks";
import { LANGUAGE_NAMES, LANGUAGES, pickLanguage, type Lang } from "../shared/language";

export type Receipts = Record<string, string>;

// What the preview fills the placeholders with (the API checks the same three when the settings are saved).
const SAMPLE: Record<string, string> = { number: "T-000123", subject: "Printer jammed", name: "Dana Example" };

/** The receipt as a customer would read it, or why the API would refuse it: `{{` and `}}` are literal braces,
 * `{number}`, `{subject}` and `{name}` the ticket's, anything else in braces an unknown placeholder. */
export function previewReceipt(text: string): { text: string } | { error: string } {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ((c === "{" || c === "}") && text[i + 1] === c) {
      out += c;
      i++;
    } else if (c === "{") {
      const end = text.indexOf("}", i);
      if (end < 0) return { error: "a { is not closed: write a literal brace twice ({{)" };
      const name = text.slice(i + 1, end);
      if (!(name in SAMPLE)) return { error: `unknown placeholder {${name}}: use {number}, {subject}, {name}` };
      out += SAMPLE[name];
      i = end;
    } else if (c === "}") {
      return { error: "a } is not opened: write a literal brace twice (}})" };
    } else {
      out += c;
    }
  }
  return { text: out };
}

export function ReceiptTexts({ value, onChange }: { value: Receipts; onChange: (receipts: Receipts) => void }) {
  const [language, setLanguage] = useState<Lang>("en");
  const name = LANGUAGE_NAMES[language];
  return (
    <fieldset data-testid="receipts">
      <legend>Receipt of a new request</legend>
      <label>Language{" "}
        <select name="receipt-language" value={language}
          onChange={(e) => setLanguage(pickLanguage(e.currentTarget.value))}>
          {LANGUAGES.map((code) => (
            <option key={code} value={code}>{LANGUAGE_NAMES[code]}{value[code]?.trim() ? " (written)" : ""}</option>
          ))}
        </select>
      </label>
      <label>Text in {name}
        <textarea name="receipt-text" rows={4} maxLength={2000} value={value[language] ?? ""}
          onInput={(e) => onChange({ ...value, [language]: e.currentTarget.value })} />
      </label>
      <ReceiptPreview text={value[language] ?? ""} />
      <p class="hint">
        Placeholders: {"{number}"} (the ticket's number), {"{subject}"}, {"{name}"} (the customer's name); a literal brace is
        written twice. Blank: {language === "en" ? "the built-in receipt" : "the English text, else the built-in receipt"}.
      </p>
    </fieldset>
  );
}

function ReceiptPreview({ text }: { text: string }) {
  if (!text.trim()) return null;
  const shown = previewReceipt(text.trim());
  if ("error" in shown) return <p class="error" role="alert" data-testid="receipt-error">{shown.error}</p>;
  return (
    <p class="hint" data-testid="receipt-preview">
      Preview: {shown.text} <em>(then how to add to the ticket, and the signature)</em>
    </p>
  );
}
