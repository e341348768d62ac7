// Files in the chat after the hand-over: the visitor sends a screenshot to the person who answers (granted, stored
// through the presigned POST without reading S3's cross-site answer, then named in the message), and the files on
// messages open through their short-lived download URL, asked with the session token.
import { afterEach, describe, expect, it, vi } from "vitest";
import { HelpdeskChat } from "../src/widget/chat";
import { json, mount, stubChatApi } from "./widget-setup";

const q = (el: HelpdeskChat, id: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-testid=${id}]`)!;

afterEach(() => {
  document.body.replaceChildren();
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

describe("files in the chat", () => {
  it("are offered only once a person has the conversation, when \"Talk to a person\" is gone", () => {
    stubChatApi(vi.fn(async () => json(200, { id: "s1", kind: "anonymous", expires_at: "", messages: [] })));
    const before = mount("en");
    expect([q(before, "chat-attach").hidden, q(before, "chat-handoff").hidden]).toEqual([true, false]);
    document.body.replaceChildren();
    const after = mount("en", { id: "s1", token: "tok", handedOver: true });
    expect([q(after, "chat-attach").hidden, q(after, "chat-handoff").hidden]).toEqual([false, true]);
    after.setAttribute("lang", "de");  // drawn again in another language: still handed over
    expect([q(after, "chat-attach").hidden, q(after, "chat-handoff").hidden]).toEqual([false, true]);
  });

  it("go to storage, then to the ticket in one message with the words typed", async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    let granted = 0;
    stubChatApi(vi.fn(async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      if (url.includes("/attachments")) {
        return json(201, { attachment_id: `a${++granted}`, max_bytes: 3, expires_at: "",
          upload: { url: "https://bucket.example/", fields: { key: "tickets/acme/t1/uploads/a/x.png" } } });
      }
      if (url.startsWith("https://bucket.example")) return new Response(null, { status: 204 });
      if (url.includes("/messages") && init?.method === "POST") {
        return json(200, { message_id: "m1", reply_id: null, reply: null, intent: null, confidence: null, citations: [],
          actions: ["forwarded_to_ticket"], ticket: { id: "t1", number: "T-000001", status: "open" }, handed_over: true,
          notice: "Sent to our team on ticket T-000001." });
      }
      return json(200, { messages: [], next_after: null });
    }));
    const el = mount("en", { id: "s1", token: "tok", handedOver: true });
    (q(el, "chat-input") as HTMLInputElement).value = "the error I get";
    await el.sendFiles([new File(["png"], "error.png", { type: "image/png" }), new File(["pdf"], "log.pdf")]);

    const grants = calls.filter((c) => c.url.includes("/chat/sessions/s1/attachments"));
    expect(grants.map((c) => JSON.parse(String(c.init?.body)))).toEqual([
      { filename: "error.png", content_type: "image/png", size: 3 },
      { filename: "log.pdf", content_type: "application/octet-stream", size: 3 }]);
    const stored = calls.filter((c) => c.url.startsWith("https://bucket.example"));
    expect(stored.map((c) => c.init?.mode)).toEqual(["no-cors", "no-cors"]);  // a website's origin: S3 sends no CORS
    const message = calls.find((c) => c.url.includes("/messages") && c.init?.method === "POST")!;
    expect(JSON.parse(String(message.init?.body))).toEqual({ text: "the error I get", attachment_ids: ["a1", "a2"],
      page: { url: `${location.origin}${location.pathname}`, title: document.title.trim() } });
    expect((message.init?.headers as Record<string, string>).authorization).toBe("Bearer tok");
    expect((q(el, "chat-input") as HTMLInputElement).value).toBe("");
    expect(el.shadowRoot!.querySelector("[role=status]")!.textContent).toBe("Sent to our team on ticket T-000001.");
  });

  it("refuses more files than a message takes without sending any", async () => {
    const fetched = vi.fn();
    stubChatApi(fetched);
    const el = mount("en", { id: "s1", token: "tok", handedOver: true });
    fetched.mockClear();
    await el.sendFiles(Array.from({ length: 11 }, (_, i) => new File(["x"], `f${i}.txt`)));
    expect(fetched).not.toHaveBeenCalled();
    expect(el.shadowRoot!.querySelector("[role=status]")!.textContent).toBe("At most 10 files a message.");
  });

  it("on a message open through a download URL asked with the session token", async () => {
    const opened = vi.fn();
    vi.stubGlobal("open", opened);
    const asked: { url: string; init?: RequestInit }[] = [];
    stubChatApi(vi.fn(async (url: string, init?: RequestInit) => {
      asked.push({ url, init });
      if (url.includes("/attachments/")) return json(200, { url: "https://bucket.example/x.png?sig=1", filename: "x.png" });
      return json(200, { messages: [{ id: "x1", role: "agent", author_name: "Alice", text: "", at: "", citations: [],
        actions: [], attachments: [{ id: "f1", filename: "steps.pdf", url: "/chat/sessions/s1/attachments/f1" }] }],
      next_after: "x1" });
    }));
    const el = mount("en", { id: "s1", token: "tok" });
    await el.poll();
    const link = q(el, "chat-file-link");
    expect(link.textContent).toBe("steps.pdf");
    expect(el.shadowRoot!.querySelector("[data-role=agent] .text")).toBeNull();  // a file alone: no empty line
    link.click();
    await vi.waitFor(() => expect(opened).toHaveBeenCalledWith("https://bucket.example/x.png?sig=1", "_blank", "noopener"));
    const download = asked.find((c) => c.url.includes("/attachments/f1"))!;
    expect(download.url).toBe("https://api.example/chat/sessions/s1/attachments/f1?tenant=acme");
    expect((download.init?.headers as Record<string, string>).authorization).toBe("Bearer tok");
  });
});
