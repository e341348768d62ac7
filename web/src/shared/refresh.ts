// A counter that moves every `ms` while the page is in sight, and at once when it comes back into sight after
// at least `ms` away: a list that depends on it reloads itself, and a tab left in the background costs nothing
// (each reload is a paid API call).
import { useEffect, useState } from "preact/hooks";

export function useRefreshTick(ms: number, doc: Document = document): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let last = Date.now();
    const bump = () => {
      last = Date.now();
      setTick((t) => t + 1);
    };
    const timer = window.setInterval(() => {
      // not right after the read a return to the tab made: the interval runs on in the background, so its next
      // tick may come a moment after that read
      if (doc.visibilityState === "visible" && Date.now() - last >= ms / 2) bump();
    }, ms);
    const onVisible = () => {
      if (doc.visibilityState === "visible" && Date.now() - last >= ms) bump();
    };
    doc.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      doc.removeEventListener("visibilitychange", onVisible);
    };
  }, [ms]);
  return tick;
}
