import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiClient } from "../src/api/client";
import { Attachments } from "../src/shared/attachments";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("a message's files", () => {
  it("lists each file the API names by an id (uploads, mail's, imported ones), not a mail's inline pictures", () => {
    const host = document.body.appendChild(document.createElement("div"));
    const api = { token: () => "t", base: () => "http://api.test" } as unknown as ApiClient;
    render(<Attachments api={api} ticketId="t1" entries={[
      { id: "ma1", filename: "invoice.pdf", size: 2048, content_type: "application/pdf" },
      { id: "ma2", filename: "logo.png", size: 10, inline: true },
      { filename: "too-big.zip", dropped: "larger than 25 MB" },
    ]} />, host);
    expect([...host.querySelectorAll("[data-testid=attachment]")].map((b) => b.textContent)).toEqual(["invoice.pdf"]);
  });
});
