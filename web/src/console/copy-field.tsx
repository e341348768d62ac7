// A value to copy into another system (a secret shown once, the chat widget's script tag): a read-only field and
// a Copy button that falls back to selecting the text where the page may not use the clipboard.
import { useRef, useState } from "preact/hooks";

export function CopyField({ label, value, name }: { label: string; value: string; name: string }) {
  const [copied, setCopied] = useState("");
  const field = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("Copied");
    } catch {
      // No clipboard outside a secure context (an http address other than localhost): select it to copy by hand.
      field.current?.select();
      setCopied("Selected: press Ctrl+C (⌘C) to copy");
    }
  };
  return (
    <>
      <label>{label}
        <input ref={field} name={name} readOnly value={value} spellcheck={false} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div class="filters">
        <button type="button" onClick={() => void copy()}>Copy <span class="sr-only">{label}</span></button>
        <span role="status">{copied}</span>
      </div>
    </>
  );
}
