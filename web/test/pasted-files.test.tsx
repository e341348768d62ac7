// A screenshot pasted into the reply box goes with the reply (Zendesk and Help Scout take pasted pictures): the
// clipboard's files are taken only when it holds no text, "image.png" is named for when it was pasted, and the files
// to send are listed with a way to take one off.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fileDropTarget, FilesToSend, pastedFiles } from "../src/shared/attachments";

afterEach(() => { document.body.innerHTML = ""; });

function clipboard(files: File[], text = ""): DataTransfer {
  return { files, getData: (kind: string) => (kind === "text/plain" ? text : "") } as unknown as DataTransfer;
}

describe("pasted files", () => {
  const at = new Date("2026-12-04T17:12:05Z");

  it("takes a pasted picture and names it for when it was pasted", () => {
    const [file] = pastedFiles(clipboard([new File(["png"], "image.png", { type: "image/png" })]), at);
    expect([file!.name, file!.type, file!.size]).toEqual(["screenshot-20261204-171205.png", "image/png", 3]);
    const two = pastedFiles(clipboard([new File(["a"], "image.png", { type: "image/png" }),
      new File(["b"], "", { type: "image/jpeg" })]), at);
    expect(two.map((f) => f.name)).toEqual(["screenshot-20261204-171205-1.png", "screenshot-20261204-171205-2.jpg"]);
  });

  it("keeps a copied file's own name, and leaves a paste with text to the text box", () => {
    expect(pastedFiles(clipboard([new File(["%PDF"], "invoice.pdf", { type: "application/pdf" })]), at)
      .map((f) => f.name)).toEqual(["invoice.pdf"]);
    expect(pastedFiles(clipboard([new File(["png"], "image.png", { type: "image/png" })], "a table from Word"), at))
      .toEqual([]);
    expect(pastedFiles(null, at)).toEqual([]);
  });

  it("are listed with a way to take one off", () => {
    const onRemove = vi.fn();
    const root = document.createElement("div");
    document.body.append(root);
    render(<FilesToSend files={[new File(["x"], "a.png"), new File(["yy"], "b.pdf")]} onRemove={onRemove}
      label="Files to send" removeLabel="Remove" />, root);
    const list = root.querySelector("[data-testid=files-to-send]")!;
    expect(list.getAttribute("aria-label")).toBe("Files to send");
    expect([...list.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["a.png 1 B Remove", "b.pdf 2 B Remove"]);
    root.querySelector<HTMLButtonElement>("button[aria-label='Remove: b.pdf']")!.click();
    expect(onRemove).toHaveBeenCalledWith(1);
  });

  it("are taken from a drop on the box; text dropped or pasted stays the box's", () => {
    const add = vi.fn();
    const target = fileDropTarget(add);
    const log = new File(["error"], "app.log", { type: "text/plain" });
    const drop = { dataTransfer: { files: [log], types: ["Files"] }, preventDefault: vi.fn() };
    target.onDrop(drop as unknown as DragEvent);
    expect(add).toHaveBeenCalledWith([log]);
    expect(drop.preventDefault).toHaveBeenCalled();  // not opened by the browser
    const over = { dataTransfer: { types: ["Files"] }, preventDefault: vi.fn() };
    target.onDragOver(over as unknown as DragEvent);
    expect(over.preventDefault).toHaveBeenCalled();
    const words = { dataTransfer: { files: [], types: ["text/plain"] }, preventDefault: vi.fn() };
    target.onDrop(words as unknown as DragEvent);
    target.onDragOver(words as unknown as DragEvent);
    const paste = { clipboardData: clipboard([], "just words"), preventDefault: vi.fn() };
    target.onPaste(paste as unknown as ClipboardEvent);
    expect(words.preventDefault).not.toHaveBeenCalled();
    expect(paste.preventDefault).not.toHaveBeenCalled();
    expect(add).toHaveBeenCalledTimes(1);
  });
});
