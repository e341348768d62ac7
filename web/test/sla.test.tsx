import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { SlaSettings } from "../src/console/sla";

afterEach(() => {
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const stale = () => json({ error: { code: "concurrent_update", message: "it changed since it was read", details: null } }, 409);
const hours = { mon: [{ start: "09:00", end: "17:00" }] };

describe("the SLA screen's saves and deletes", () => {
  it("name the version the screen showed, and after another admin's change offer to reload instead of overwriting it", async () => {
    const writes: { method: string; path: string; ifMatch: string | null }[] = [];
    let vip = { id: "vip", name: "VIP", position: 10, calendar_id: "office", targets: { normal: { first_response_minutes: 30 } }, version: 3 };
    let refuse = true;
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      const method = init.method?.toUpperCase() ?? "GET";
      if (method !== "GET") {
        writes.push({ method, path, ifMatch: new Headers(init.headers).get("if-match") });
        if (refuse) return stale();
        vip = { ...(JSON.parse(String(init.body)) as typeof vip), version: vip.version + 1 };
        return json(vip);
      }
      if (path === "/sla/calendars") return json([
        { id: "24x7", name: "Around the clock", timezone: "UTC", hours, version: 0 },
        { id: "office", name: "Berlin office", timezone: "Europe/Berlin", hours, version: 2 },
      ]);
      if (path === "/sla/policies") return json([vip, { id: "default", name: "Default", position: 100000, targets: {}, version: 0 }]);
      return json([]);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<SlaSettings api={new ApiClient({ baseUrl: "https://api.example", fetch })} admin={true} />, host);
    const button = (text: string) => vi.waitFor(() => {
      const found = [...host.querySelectorAll("button")].find((b) => b.textContent === text);
      if (!found) throw new Error(`no button ${text}`);
      return found;
    });
    const nameField = () => host.querySelector<HTMLInputElement>("[data-testid=policy-form] [name=policy-name]")!;

    (await button("Edit VIP")).click();
    await vi.waitFor(() => expect(nameField()).not.toBeNull());
    nameField().value = "Gold";
    nameField().dispatchEvent(new Event("input"));
    host.querySelector<HTMLFormElement>("[data-testid=policy-form]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(host.textContent).toContain("Another admin saved these SLA settings meanwhile"));
    expect(writes).toEqual([{ method: "PUT", path: "/sla/policies/vip", ifMatch: '"3"' }]);
    expect(nameField().value).toBe("Gold"); // what was typed stays until the reload

    vip = { ...vip, name: "Theirs", version: 4 }; // what the other admin saved
    refuse = false;
    (await button("Reload the SLA settings")).click();
    await vi.waitFor(() => expect(nameField().value).toBe("Theirs")); // the form now shows their version
    expect(host.textContent).not.toContain("Another admin saved");
    host.querySelector<HTMLFormElement>("[data-testid=policy-form]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(host.textContent).toContain("Policy saved"));
    expect(writes[1]).toEqual({ method: "PUT", path: "/sla/policies/vip", ifMatch: '"4"' });

    refuse = true;
    vi.stubGlobal("confirm", () => true); // the screen asks before deleting
    (await button("Delete Berlin office")).click();
    await vi.waitFor(() => expect(host.textContent).toContain("Another admin saved these SLA settings meanwhile"));
    expect(writes[2]).toEqual({ method: "DELETE", path: "/sla/calendars/office", ifMatch: '"2"' });
  });
});

describe("a policy's warnings and breaches in the form", () => {
  it("saves the group mailboxes and what a breach changes, and names a line it cannot read without saving", async () => {
    const bodies: Record<string, unknown>[] = [];
    const policy = { id: "default", name: "Default", position: 100000, calendar_id: "24x7", targets: {},
      group_emails: { support: ["support@acme.example"] }, escalation: { raise_priority: true, group: null }, version: 1 };
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if ((init.method ?? "GET").toUpperCase() === "PUT") {
        bodies.push(JSON.parse(String(init.body)) as Record<string, unknown>);
        return json({ ...policy, ...bodies[bodies.length - 1], version: 2 });
      }
      if (path === "/sla/calendars") return json([{ id: "24x7", name: "Around the clock", timezone: "UTC", hours, version: 0 }]);
      if (path === "/sla/policies") return json([policy]);
      return json([]);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<SlaSettings api={new ApiClient({ baseUrl: "https://api.example", fetch })} admin={true} />, host);
    const edit = await vi.waitFor(() => {
      const found = [...host.querySelectorAll("button")].find((b) => b.textContent === "Edit Default");
      if (!found) throw new Error("no edit button");
      return found;
    });
    edit.click();
    const field = <T extends HTMLElement>(name: string) => host.querySelector<T>(`[data-testid=policy-form] [name=${name}]`)!;
    await vi.waitFor(() => expect(field("policy-group-mails")).not.toBeNull());
    const mails = field<HTMLTextAreaElement>("policy-group-mails");
    expect(mails.value).toBe("support: support@acme.example");
    // after a render, as a person clicks Save after typing (the form's handler is the render's)
    const submit = async () => {
      await new Promise((r) => setTimeout(r, 0));
      host.querySelector<HTMLFormElement>("[data-testid=policy-form]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    };

    mails.value = "support: support@acme.example\nbilling-team@acme.example";
    mails.dispatchEvent(new Event("input"));
    await submit();
    await vi.waitFor(() => expect(host.querySelector("[role=alert]")?.textContent).toContain('"billing-team@acme.example": write the group'));
    expect(bodies).toEqual([]);

    mails.value = "support: support@acme.example, lead@acme.example\nbilling: billing-team@acme.example";
    mails.dispatchEvent(new Event("input"));
    field<HTMLInputElement>("policy-raise-priority").click();
    const language = field<HTMLSelectElement>("policy-group-mail-language");
    expect(language.value).toBe("en"); // a policy saved before there was a choice: English, as it was mailed
    language.value = "de";
    language.dispatchEvent(new Event("change"));
    const group = field<HTMLInputElement>("policy-escalation-group");
    group.value = "tier2";
    group.dispatchEvent(new Event("input"));
    await submit();
    await vi.waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]!.group_emails).toEqual({ support: ["support@acme.example", "lead@acme.example"], billing: ["billing-team@acme.example"] });
    expect(bodies[0]!.escalation).toEqual({ raise_priority: false, group: "tier2" });
    expect(bodies[0]!.group_email_language).toBe("de");
  });
});
