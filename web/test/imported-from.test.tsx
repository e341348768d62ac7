import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ImportedFrom } from "../src/console/imported-from";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("where an imported ticket came from, on the ticket page", () => {
  it("names the old helpdesk and links the ticket's page there in a new tab", () => {
    const host = document.body.appendChild(document.createElement("div"));
    render(<ImportedFrom origin={{ source: "zendesk", id: "1001", url: "https://acme.zendesk.com/agent/tickets/1001",
                                   imported_at: "2026-12-04T10:00:00Z" }} />, host);
    const shown = host.querySelector<HTMLElement>("[data-testid=imported-from]")!;
    expect(shown.textContent).toMatch(/^Imported from Zendesk #1001 on /);
    const link = shown.querySelector("a")!;
    expect(link.href).toBe("https://acme.zendesk.com/agent/tickets/1001");
    expect(link.rel).toBe("noopener noreferrer");
  });

  it("shows the number people knew it by there when it has one", () => {
    const host = document.body.appendChild(document.createElement("div"));
    render(<ImportedFrom origin={{ source: "zammad", id: "2001", number: "67001", url: "https://support.acme.example/#ticket/zoom/2001",
                                   imported_at: "2026-12-04T10:00:00Z" }} />, host);
    expect(host.textContent).toMatch(/^Imported from Zammad #67001 on /);
    render(<ImportedFrom origin={{ source: "freescout", id: "101", number: "2001", url: "https://help.acme.example/conversation/101",
                                   imported_at: "2026-12-04T10:00:00Z" }} />, host);
    expect(host.textContent).toMatch(/^Imported from FreeScout #2001 on /);
  });

  it("shows the id without a link for an address that is not http(s), and nothing for a ticket made here", () => {
    const host = document.body.appendChild(document.createElement("div"));
    render(<ImportedFrom origin={{ source: "zendesk", id: "7", url: "javascript:alert(1)", imported_at: "2026-12-04T10:00:00Z" }} />, host);
    expect(host.querySelector("a")).toBeNull();
    expect(host.textContent).toContain("Zendesk #7");
    render(<ImportedFrom origin={null} />, host);
    expect(host.innerHTML).toBe("");
  });
});

describe("an imported message", () => {
  it("is marked as written in the old helpdesk and names the files that stayed there with why", async () => {
    const { FilesLeft, ImportedBadge } = await import("../src/console/imported-from");
    const host = document.body.appendChild(document.createElement("div"));
    render(<><ImportedBadge data={{ imported_from: { source: "zendesk", id: "3" } }} />
      <FilesLeft entries={[{ filename: "gone.png", reason: "Zendesk answered 404" },
                           { filename: "setup.exe", reason: "executable files are not accepted" }, { bogus: 1 }]} /></>, host);
    expect(host.querySelector(".badge")!.textContent).toBe("in Zendesk");
    expect(host.querySelector("[data-testid=files-left]")!.textContent).toBe(
      "Not brought over: gone.png (Zendesk answered 404); setup.exe (executable files are not accepted)");
    render(<><ImportedBadge data={{ body: "written here" }} /><FilesLeft entries={undefined} /></>, host);
    expect(host.innerHTML).toBe("");
  });
});
