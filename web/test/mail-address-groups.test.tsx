import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { MailAdmin } from "../src/console/mail";
import { fromRows, toRows } from "../src/console/mail-address-groups";

afterEach(() => {
  document.body.innerHTML = "";
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
      return Response.json(path === "/mail/quarantine" ? { items: [] } : []);
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
