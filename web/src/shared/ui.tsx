// Small pieces both pages share.
import type { ComponentChildren, JSX } from "preact";
import { ApiError } from "../api/client";

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

export function Badge({ kind, children, title }: { kind: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${kind}`} title={title}>
      {children}
    </span>
  );
}
