// @vitest-environment node
import { describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, fillPath, queryString } from "../src/api/client";

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
