// Small pieces both pages share.
import type { ComponentChildren, JSX } from "preact";
import { ApiError } from "../api/client";
import type { Lang } from "./language";
import { problemReference, problemText, validationErrors } from "./problems";

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = invalidFields(error.details);
    return `${error.message} (${error.status} ${error.code})${fields.length ? `: ${fields.join("; ")}` : ""}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * What a 422 `validation_error` names, one "where: why" each, so a form's user sees which entry to fix
 * ("categories #1 › name: String should match pattern ..."); positions count from 1 as the forms do.
 */
export function invalidFields(details: unknown): string[] {
  return validationErrors(details).flatMap(({ loc, msg }) => {
    if (msg === null) return [];
    const where = loc.filter((p) => p !== "body").map((p) => (typeof p === "number" ? `#${p + 1}` : String(p)));
    return [where.length ? `${where.join(" › ")}: ${msg}` : msg];
  });
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
