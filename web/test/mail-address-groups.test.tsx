import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { MailAdmin } from "../src/console/mail";
import { fromRows, toRows } from "../src/console/mail-address-groups";

afterEach(() => {
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("new tickets by the address they were mailed to", () => {
  it("keeps complete rows, in lower case", () => {
    expect(fromRows([{ address: " Billing@Acme.example ", group: "billing" }, { address: "x@acme.example", group: "" }, { address: "", group: "support" }]))
      .toEqual({ "billing@acme.example": "billing" });
    expect(toRows({ "billing@acme.example": "billing" })).toEqual([{ address: "billing@acme.example", group: "billing" }]);
  });

  it("are saved with the mail settings", async () => {
    const puts: unknown[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === "/mail/settings" && init.method?.toUpperCase() === "PUT") {
        puts.push(JSON.parse(String(init.body)));
        return Response.json(JSON.parse(String(init.body)), { headers: { etag: '"2"' } });
      }
      if (path === "/mail/settings") return Response.json({ from_name: "Support", address_groups: { "billing@acme.example": "billing" } }, { headers: { etag: '"1"' } });
      if (path === "/groups") return Response.json([{ id: "billing", name: "Billing", members: [] }, { id: "sales", name: "Sales", members: [] }]);
      return Response.json(path === "/mail/quarantine" || path === "/mail/inbound" ? { items: [] } : []);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<MailAdmin api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    const routes = await vi.waitFor(() => {
      const found = host.querySelector<HTMLFieldSetElement>("[data-testid=address-groups]");
      if (!found || !found.querySelector("option[value=sales]")) throw new Error("not loaded");
      return found;
    });
    expect(routes.querySelector<HTMLInputElement>("input[name=route-address-0]")!.value).toBe("billing@acme.example");
    [...routes.querySelectorAll("button")].find((b) => b.textContent === "Add an address")!.click();
    await settle();
    const address = routes.querySelector<HTMLInputElement>("input[name=route-address-1]")!;
    address.value = "Sales@Acme.example";
    address.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    const group = routes.querySelector<HTMLSelectElement>("select[name=route-group-1]")!;
    group.value = "sales";
    group.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    host.querySelector<HTMLFormElement>("[data-testid=mail-settings]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect((puts[0] as { address_groups: unknown }).address_groups).toEqual({ "billing@acme.example": "billing", "sales@acme.example": "sales" });
  });
});

describe("the inbound addresses", () => {
  it("are listed from the API and one is let go after a confirmation", async () => {
    const deleted: string[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const path = decodeURIComponent(new URL(url).pathname);
      if (init.method?.toUpperCase() === "DELETE") {
        deleted.push(path);
        return new Response(null, { status: 204 });
      }
      if (path === "/mail/inbound") {
        return Response.json({ items: [
          { address: "@acme.example", tenant_id: "acme", status: "verified", verified_by: "domain" },
          { address: "billing@acme.example", tenant_id: "acme", status: "verified", verified_by: "operator" },
          { address: "help@partner.example", tenant_id: "acme", status: "pending_verification", verified_by: null }] });
      }
      if (path === "/mail/settings") return Response.json({ from_name: "Support" }, { headers: { etag: '"1"' } });
      return Response.json(path === "/mail/quarantine" ? { items: [] } : []);
    }) as unknown as typeof globalThis.fetch;
    vi.stubGlobal("confirm", () => true); // "Stop taking mail at ...?"
    const host = document.body.appendChild(document.createElement("div"));
    render(<MailAdmin api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    const rows = await vi.waitFor(() => {
      const found = [...host.querySelectorAll("[data-testid=inbound-route]")];
      if (found.length < 3) throw new Error("not listed yet");
      return found;
    });
    expect(rows.map((r) => r.querySelector("button")?.textContent ?? null)).toEqual([null, "Remove billing@acme.example", "Cancel help@partner.example"]);
    expect(rows[0]!.textContent).toContain("every address @acme.example");
    rows[1]!.querySelector("button")!.click();
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=inbound-route]")).toHaveLength(2));
    expect(deleted).toEqual(["/mail/inbound/billing@acme.example"]);
    expect(host.textContent).toContain("billing@acme.example no longer takes mail for this tenant");
  });
});
