// A call whose answer a screen shows beside its "Try" button (a ticket's text tried on the categories, a trigger tried
// on a ticket): nothing is saved, each run replaces the last answer or error.
import { useState } from "preact/hooks";

export interface Trial<T> {
  result: T | null;
  error: unknown;
  busy: boolean;
  run: (call: () => Promise<T>) => Promise<void>;
}

export function useTrial<T>(): Trial<T> {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<T>) => {
    setError(null);
    setResult(null);
    setBusy(true);
    try {
      setResult(await call());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { result, error, busy, run };
}
