// A secret the API answers only once (a webhook's signing secret, an API client's secret), shown right after it
// was made. It lives in the creating screen's state alone: a reload or another page drops it for good, as no
// call reads it back, so the box says so and offers a field to copy it from.
import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";

export function SecretOnce({ title, label, value, testid, onDone, children }: {
  title: string;
  label: string;
  value: string;
  testid: string;
  onDone: () => void;
  children?: ComponentChildren;
}) {
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
    <div class="panel stack secret-once" role="region" aria-label={title} data-testid={testid}>
      <h3>{title}</h3>
      <p><strong>Copy it now: it will not be shown again.</strong> Store it where the receiving system keeps its secrets; if it is lost, delete this entry and make a new one.</p>
      <label>{label}
        <input ref={field} name={`${testid}-value`} readOnly value={value} spellcheck={false} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div class="filters">
        <button type="button" onClick={() => void copy()}>Copy <span class="sr-only">{label}</span></button>
        <span role="status">{copied}</span>
      </div>
      {children}
      <div class="reply-actions"><button type="button" class="secondary" onClick={onDone}>I have stored it</button></div>
    </div>
  );
}
