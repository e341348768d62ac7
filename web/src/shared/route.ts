// The page's place in the app is its hash (`#/t/<id>`): the apps are static files, so every address works on reload.
import { useEffect, useState } from "preact/hooks";

/** The hash without its `#` ("/" when empty), following the browser's navigation. */
export function useHashRoute(): string {
  const [hash, setHash] = useState(window.location.hash.replace(/^#/, "") || "/");
  useEffect(() => {
    const onChange = () => setHash(window.location.hash.replace(/^#/, "") || "/");
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}
