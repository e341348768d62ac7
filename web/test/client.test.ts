// @vitest-environment node
import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, fillPath, idempotencyKey, queryString } from "../src/api/client";

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === null ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

describe("api client", () => {
  it("fills path parameters, encoded", () => {
    expect(fillPath("/tickets/{ticket_id}/assist/{field}/accept", { ticket_id: "a/b", field: "reply" })).toBe(
      "/tickets/a%2Fb/assist/reply/accept",
    );
    expect(() => fillPath("/tickets/{ticket_id}", {})).toThrow(/ticket_id/);
  });

  it("builds query strings without empty values", () => {
    expect(queryString({ status: "new", tag: "", cursor: undefined, limit: 25 })).toBe("?status=new&limit=25");
    expect(queryString({})).toBe("");
  });

  it("sends the token, If-Match and JSON, and returns data with the ETag", async () => {
    const fetch = vi.fn(async () => reply(200, { id: "t1" }, { etag: '"3"' }));
    const api = new ApiClient({ baseUrl: "https://api.example", token: () => "tok", fetch });
    const r = await api.call("patch", "/tickets/{ticket_id}", { path: { ticket_id: "t1" }, body: { status: "open" }, ifMatch: '"2"' });
    expect(r.etag).toBe('"3"');
    expect(r.data.id).toBe("t1");
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("https://api.example/tickets/t1");
    expect(init.method).toBe("PATCH");
    expect(init.headers).toMatchObject({ authorization: "Bearer tok", "if-match": '"2"', "content-type": "application/json" });
    expect(init.body).toBe('{"status":"open"}');
  });

  it("sends every POST with a fresh Idempotency-Key, and once more with the same key when the answer was lost", async () => {
    let failures = 1;
    const fetch = vi.fn(async () => {
      if (failures-- > 0) throw new TypeError("Failed to fetch"); // the network dropped the answer
      return reply(201, { id: "t1" });
    });
    const api = new ApiClient({ fetch });
    const created = await api.call("post", "/tickets", { body: { subject: "Printer", description: "Jams." } });
    expect(created.data.id).toBe("t1");
    const sent = fetch.mock.calls.map((c) => (c as unknown as [string, RequestInit])[1]);
    expect(sent).toHaveLength(2);
    const keys = sent.map((init) => (init.headers as Record<string, string>)["idempotency-key"]);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]); // the API answers the first result: the ticket is opened once
    expect(sent[1]?.body).toBe(sent[0]?.body);
    await api.call("post", "/tickets", { body: { subject: "Again", description: "A new one." } });
    const third = (fetch.mock.calls[2] as unknown as [string, RequestInit])[1];
    expect((third.headers as Record<string, string>)["idempotency-key"]).not.toBe(keys[0]); // a new request, a new key
  });

  it("sends nothing twice but a POST, and never what the caller aborted", async () => {
    const lost = vi.fn(async () => { throw new TypeError("Failed to fetch"); });
    const api = new ApiClient({ fetch: lost });
    await expect(api.call("patch", "/tickets/{ticket_id}", { path: { ticket_id: "t1" }, body: { status: "open" } })).rejects.toThrow(TypeError);
    expect(lost).toHaveBeenCalledTimes(1);
    expect((lost.mock.calls[0] as unknown as [string, RequestInit])[1].headers).not.toHaveProperty("idempotency-key");
    const controller = new AbortController();
    controller.abort();
    await expect(api.call("post", "/tickets", { body: { subject: "x", description: "y" }, signal: controller.signal })).rejects.toThrow();
    expect(lost).toHaveBeenCalledTimes(2);
  });

  it("makes UUID v4 keys where crypto.randomUUID is missing too (a page on plain http)", () => {
    const real = globalThis.crypto.randomUUID;
    Object.defineProperty(globalThis.crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      const keys = new Set(Array.from({ length: 50 }, () => idempotencyKey()));
      expect(keys.size).toBe(50);
      for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(globalThis.crypto, "randomUUID", { value: real, configurable: true });
    }
  });

  it("turns the one error format into ApiError and reports 401", async () => {
    const onUnauthorized = vi.fn();
    const api = new ApiClient({
      fetch: async () => reply(401, { error: { code: "unauthorized", message: "token has expired", details: {} } }),
      onUnauthorized,
    });
    const error = await api.get("/tickets").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe("token has expired");
    expect((error as ApiError).expired).toBe(true);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it("keeps a status line for errors that are not ours", async () => {
    const api = new ApiClient({ fetch: async () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }) });
    const error = (await api.get("/tickets").catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe("http_error");
    expect(error.message).toContain("502");
  });

  it("flags 409 as a conflict", async () => {
    const api = new ApiClient({ fetch: async () => reply(409, { error: { code: "version_conflict", message: "stale", details: {} } }) });
    const error = (await api.call("patch", "/tickets/{ticket_id}", { path: { ticket_id: "x" }, body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.conflict).toBe(true);
  });
});
