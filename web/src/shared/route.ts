// The page's place in the app is its hash (`#/t/<id>`): the apps are static files, so every address works on reload.
import { useEffect, useState } from "preact/hooks";

/** The hash without its `#` ("/" when empty), following the browser's navigation. */
export function useHashRoute(): string {
  const [hash, setHash] = useState(window.location.hash.replace(/^#/, "") || "/");
  useEffect(() => {
    const onChange = () => setHash(window.location.hash.replace(/^#/, "") || "/");
    window.addEventListener("hashchange", onChange);
    // A change between the first render and this effect (a link followed while the page was still starting, as a
    // test or a fast click does) fired no listener: read the hash once more now that one listens.
    onChange();
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}
