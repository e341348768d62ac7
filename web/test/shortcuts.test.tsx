// "?" opens the console's list of keys, as the handlers in queue.tsx, shown-list.tsx and shared/keys.ts take them;
// typed in a box it is a question mark, and Close shuts the list.
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ShortcutsHelp } from "../src/console/shortcuts";

const hosts: HTMLElement[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) render(null, host);
  document.body.innerHTML = "";
});

async function mounted(): Promise<{ host: HTMLElement; dialog: HTMLDialogElement }> {
  const host = document.body.appendChild(document.createElement("div"));
  hosts.push(host);
  render(<ShortcutsHelp />, host);
  await new Promise((r) => setTimeout(r, 20)); // its key listener is an effect, added after the first paint
  return { host, dialog: host.querySelector<HTMLDialogElement>("[data-testid=shortcuts]")! };
}

const press = (target: EventTarget, key: string) =>
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));

describe("the console's keyboard shortcuts", () => {
  it("opens on ? and lists the keys the pages answer", async () => {
    const { dialog } = await mounted();
    expect(dialog.open).toBe(false);
    press(document.body, "?");
    expect(dialog.open).toBe(true);
    const text = dialog.textContent ?? "";
    for (const key of ["j", "k", "x", "u", "r", "Enter", "Ctrl+Enter", "Ctrl+B", "Ctrl+I"]) {
      expect([...dialog.querySelectorAll("kbd")].map((k) => k.textContent)).toContain(key);
    }
    expect(text).toContain("back to that list");
    dialog.querySelector<HTMLButtonElement>("[data-testid=shortcuts-close]")!.click();
    expect(dialog.open).toBe(false);
  });

  it("leaves a ? typed in a box alone, and opens from the top bar's button", async () => {
    const { host, dialog } = await mounted();
    const box = document.body.appendChild(document.createElement("textarea"));
    press(box, "?");
    expect(dialog.open).toBe(false);
    host.querySelector<HTMLButtonElement>("[data-testid=shortcuts-open]")!.click();
    expect(dialog.open).toBe(true);
  });
});
