import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { ApiClients, tokenEndpoint, tokenRequest } from "../src/console/api-clients";
import { EMPTY_WEBHOOK, eventTypesText, toNewWebhook, Webhooks } from "../src/console/webhooks";

const at = "2026-01-01T00:00:00Z";
const json = (body: unknown, status = 200) => new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("a webhook as the form holds it", () => {
  it("asks for every type with the API's '*' while 'all' is ticked, whatever was ticked before", () => {
    expect(toNewWebhook({ ...EMPTY_WEBHOOK, url: " https://crm.example/h ", types: ["ticket.created"] })).toEqual(
      { url: "https://crm.example/h", description: "", format: "standard_webhooks", event_types: ["*"] });
  });
  it("asks for the ticked types otherwise, and Slack for '*' (the API sets Slack's)", () => {
    const chosen = { ...EMPTY_WEBHOOK, url: "https://crm.example/h", description: " CRM ", all: false, types: ["ticket.created", "ticket.sla_breached"] };
    expect(toNewWebhook(chosen)).toMatchObject({ description: "CRM", event_types: ["ticket.created", "ticket.sla_breached"] });
    expect(toNewWebhook({ ...chosen, format: "slack" }).event_types).toEqual(["*"]);
  });
  it("reads '*' as all events", () => {
    expect(eventTypesText(["*"])).toBe("all events");
    expect(eventTypesText(["ticket.created", "ticket.merged"])).toBe("ticket.created, ticket.merged");
  });
});

describe("the token request shown with a new client's secret", () => {
  it("is the README's, at the local stack's endpoint or Cognito's", () => {
    expect(tokenEndpoint({ signIn: "/dev/sign-in" }, "http://127.0.0.1:8000/")).toBe("http://127.0.0.1:8000/oauth2/token");
    const aws = { signIn: "cognito", api: "https://x.execute-api.eu-west-1.amazonaws.com",
      cognito: { console: { domain: "https://hd.auth.eu-west-1.amazoncognito.com", clientId: "c", redirectUri: "r", signOutUri: "s" } } };
    expect(tokenEndpoint(aws, aws.api)).toBe("https://hd.auth.eu-west-1.amazoncognito.com/oauth2/token");
    expect(tokenRequest("http://127.0.0.1:8000/oauth2/token", "abc123")).toBe(
      'TOKEN=$(curl -s -u "abc123:$CLIENT_SECRET" -d grant_type=client_credentials http://127.0.0.1:8000/oauth2/token | jq -r .access_token)');
  });
});

/** The screen in a page (happy-dom fires no change event off the page), with `fetch` answering its calls. */
function mount(view: (api: ApiClient) => preact.JSX.Element, answer: (method: string, path: string, body: unknown) => Response) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: String(init.method), path, body });
    return answer(String(init.method), path, body);
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(view(new ApiClient({ baseUrl: "https://api.example", fetch })), host);
  const field = <T extends Element = HTMLInputElement>(name: string) => host.querySelector(`[name='${name}']`) as T | null;
  const type = (name: string, value: string) => {
    const input = field(name)!;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const submit = async (testid: string) => {
    await new Promise((rendered) => setTimeout(rendered, 10)); // the form's handlers see what was typed
    host.querySelector(`[data-testid=${testid}]`)!.dispatchEvent(new Event("submit", { cancelable: true }));
  };
  const shown = (selector: string) => vi.waitFor(() => expect(host.querySelector(selector)).not.toBeNull(), { timeout: 2000 });
  return { host, calls, field, type, submit, shown };
}

afterEach(() => {
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
});

describe("Webhooks", () => {
  it("keeps what was typed when the API refuses the URL, and shows the secret once it takes it", async () => {
    let refuse = true;
    const hook = { id: "w1", url: "https://crm.example/h", event_types: ["ticket.created"], description: "", format: "standard_webhooks",
      active: true, created_at: at, created_by: "ada" };
    const { host, calls, field, type, submit, shown } = mount((api) => <Webhooks api={api} />, (method, path) => {
      if (path === "/webhooks/event-types") return json(["ticket.created", "ticket.merged"]);
      if (method === "GET") return json(refuse ? [] : [hook]);
      if (refuse) return json({ error: { code: "webhook_url_refused", message: "a webhook URL must use https", details: null } }, 422);
      return json({ ...hook, secret: "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0" }, 201);
    });
    await shown("[name='webhook-event-ticket.created']");
    type("webhook-url", "http://crm.example/h");
    field("webhook-all-events")!.click();
    await new Promise((rendered) => setTimeout(rendered, 10));
    field("webhook-event-ticket.created")!.click();
    await submit("webhook-form");
    await vi.waitFor(() => expect(host.querySelector("[role=alert]")?.textContent).toContain("must use https"), { timeout: 2000 });
    expect(calls.find((c) => c.method === "POST")?.body).toEqual(
      { url: "http://crm.example/h", description: "", format: "standard_webhooks", event_types: ["ticket.created"] });
    expect(field("webhook-url")!.value).toBe("http://crm.example/h");
    expect(field("webhook-all-events")!.checked).toBe(false);
    expect(field("webhook-event-ticket.created")!.checked).toBe(true);
    expect(host.querySelector("[data-testid=webhook-secret]")).toBeNull();

    refuse = false;
    type("webhook-url", "https://crm.example/h");
    await submit("webhook-form");
    await shown("[data-testid=webhook-secret]");
    expect(field("webhook-secret-value")!.value).toMatch(/^whsec_/);
    expect(host.querySelector("[data-testid=webhook-secret]")!.textContent).toContain("will not be shown again");
    expect(field("webhook-url")!.value).toBe(""); // ready for the next one
    await shown("[data-testid=webhook]");
    [...host.querySelectorAll<HTMLButtonElement>("[data-testid=webhook-secret] button")].find((b) => b.textContent === "I have stored it")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=webhook-secret]")).toBeNull(), { timeout: 2000 });
  });
});

describe("API clients", () => {
  it("offers the API's scopes, shows the new secret once with the token request for its id, and revokes after asking", async () => {
    vi.stubGlobal("fetch", async () => new Response("", { status: 404 })); // no /web-config.json: the local default
    let clients: unknown[] = [];
    const made = { client_id: "c0ffee", tenant_id: "acme", name: "CRM", scopes: ["tickets:read", "tickets:write"], created_at: at, created_by: "ada" };
    const { host, calls, field, type, submit, shown } = mount((api) => <ApiClients api={api} />, (method, path) => {
      if (path === "/clients/scopes") {
        return json(["tickets:read", "tickets:write", "kb:read"].map((name) => ({ scope: `helpdesk/${name}`, name, description: `may ${name}` })));
      }
      if (method === "POST") {
        clients = [made];
        return json({ client: made, client_secret: "s3cret" }, 201);
      }
      if (method === "DELETE") {
        clients = [];
        return json(null, 204);
      }
      return json(clients);
    });
    await shown("[name='client-scope-kb:read']");
    type("client-name", "CRM");
    field("client-scope-tickets:read")!.click();
    field("client-scope-tickets:write")!.click();
    await submit("client-form");
    await shown("[data-testid=client-secret]");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "CRM", scopes: ["tickets:read", "tickets:write"] });
    expect(field("client-secret-value")!.value).toBe("s3cret");
    await vi.waitFor(() => expect(field<HTMLTextAreaElement>("token-request")!.value).toBe(
      'TOKEN=$(curl -s -u "c0ffee:$CLIENT_SECRET" -d grant_type=client_credentials https://api.example/oauth2/token | jq -r .access_token)'), { timeout: 2000 });
    await shown("[data-testid=api-client]");
    expect(host.querySelector("[data-testid=api-client-scopes]")!.textContent).toBe("tickets:read, tickets:write");

    host.querySelector<HTMLButtonElement>("[data-testid=revoke-client]")!.click();
    await shown("[data-testid=revoke-client-confirm]");
    expect(calls.some((c) => c.method === "DELETE")).toBe(false); // nothing is revoked before the second click
    host.querySelector<HTMLButtonElement>("[data-testid=revoke-client-confirm]")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=api-client]")).toBeNull(), { timeout: 2000 });
    expect(calls.find((c) => c.method === "DELETE")?.path).toBe("/clients/c0ffee");
    expect(host.querySelector("[data-testid=client-secret]")).toBeNull(); // the revoked client's secret goes with it
  });
});
