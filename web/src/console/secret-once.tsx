// A secret the API answers only once (a webhook's signing secret, an API client's secret), shown right after it
// was made. It lives in the creating screen's state alone: a reload or another page drops it for good, as no
// call reads it back, so the box says so and offers a field to copy it from.
import type { ComponentChildren } from "preact";
import { CopyField } from "./copy-field";

export function SecretOnce({ title, label, value, testid, onDone, children }: {
  title: string;
  label: string;
  value: string;
  testid: string;
  onDone: () => void;
  children?: ComponentChildren;
}) {
  return (
    <div class="panel stack secret-once" role="region" aria-label={title} data-testid={testid}>
      <h3>{title}</h3>
      <p><strong>Copy it now: it will not be shown again.</strong> Store it where the receiving system keeps its secrets; if it is lost, delete this entry and make a new one.</p>
      <CopyField label={label} value={value} name={`${testid}-value`} />
      {children}
      <div class="reply-actions"><button type="button" class="secondary" onClick={onDone}>I have stored it</button></div>
    </div>
  );
}
