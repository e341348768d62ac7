// Small pieces both pages share.
import type { ComponentChildren, JSX } from "preact";
import { ApiError } from "../api/client";
import type { Lang } from "./language";
import { problemReference, problemText } from "./problems";

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.status} ${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function Alert({ error, children }: { error?: unknown; children?: ComponentChildren }): JSX.Element | null {
  if (!error && !children) return null;
  return (
    <div class="alert" role="alert">
      {error ? errorText(error) : null}
      {children}
    </div>
  );
}

/** A failed call on a customer's page: what went wrong in their language, and the reference support looks up. */
export function ProblemAlert({ error, lang }: { error: unknown; lang: Lang }): JSX.Element | null {
  if (!error) return null;
  const reference = problemReference(error, lang);
  return (
    <div class="alert" role="alert" data-testid="problem">
      {problemText(error, lang)}
      {reference ? <small class="problem-reference"> {reference}</small> : null}
    </div>
  );
}

export function Badge({ kind, children, title }: { kind: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${kind}`} title={title}>
      {children}
    </span>
  );
}
