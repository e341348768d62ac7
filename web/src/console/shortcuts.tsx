// The console's keys in one list, as Gmail's, Zendesk's and FreeScout's "?" shows theirs: "?" anywhere but in a box
// (or the top bar's "Keys") opens it; Escape or Close shuts it. A native modal dialog: the page behind is inert and
// the focus goes back where it was. The list says what the handlers do (queue.tsx, shown-list.tsx, shared/keys.ts).
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { modifierKey, typingIn } from "../shared/keys";

interface Shortcut { keys: string[]; does: string }

function shortcutGroups(mod: string): { title: string; shortcuts: Shortcut[] }[] {
  return [
    { title: "The queue and saved views", shortcuts: [
      { keys: ["j", "k"], does: "the next or the previous ticket" },
      { keys: ["x"], does: "tick the ticket, to change several at once" },
      { keys: ["Enter", "o"], does: "open the ticket" },
      { keys: ["r"], does: "open the ticket to reply" },
    ] },
    { title: "A ticket", shortcuts: [
      { keys: ["j", "k"], does: "the next or the previous ticket of the list it was opened from" },
      { keys: ["u"], does: "back to that list" },
      { keys: ["r"], does: "write a reply" },
    ] },
    { title: "Writing", shortcuts: [
      { keys: [`${mod}+Enter`], does: "send the reply, the note or the new ticket" },
      { keys: [`${mod}+B`, `${mod}+I`], does: "bold, italic (the reply box)" },
    ] },
    { title: "Anywhere", shortcuts: [{ keys: ["?"], does: "this list" }] },
  ];
}

/** The top bar's "Keys" and the list it opens. */
export function ShortcutsHelp(): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const open = () => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // vitest's pages share one window: only a list still on the screen answers
      if (e.key !== "?" || e.ctrlKey || e.metaKey || e.altKey || typingIn(e) || !dialog.current?.isConnected) return;
      e.preventDefault();
      open();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <button type="button" class="link shortcuts-open" aria-keyshortcuts="?" data-testid="shortcuts-open" onClick={open}>Keys</button>
      <dialog ref={dialog} class="shortcuts" aria-labelledby="shortcuts-title" data-testid="shortcuts">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        {shortcutGroups(modifierKey()).map((group) => (
          <section key={group.title}>
            <h3>{group.title}</h3>
            <dl>
              {group.shortcuts.map((s) => (
                <div key={s.does}>
                  <dt>{s.keys.map((k, i) => <>{i ? " " : ""}<kbd>{k}</kbd></>)}</dt>
                  <dd>{s.does}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <form method="dialog"><button type="submit" data-testid="shortcuts-close">Close</button></form>
      </dialog>
    </>
  );
}
