import { render } from "preact";
import { describe, expect, it } from "vitest";
import { MessageBody, parseTranscript } from "../src/shared/transcript";

// As helpdesk.assistant.service._transcript writes it.
const CHAT = "Chat transcript (conversation 0b6c-42):\n\n[user] Hallo\n[assistant] Hallo! Wie kann ich helfen?\n"
  + "[user] Meine Rechnung ist doppelt.\nZeile zwei\n[assistant] Ich übergebe an eine Person.\n[user] Ja";
const WORDS = { user: "Sie", assistant: "Assistent", earlierCut: "Frühere Nachrichten werden nicht angezeigt." };

describe("a chat transcript in a ticket", () => {
  it("is read turn by turn, a message of several lines kept whole", () => {
    expect(parseTranscript(CHAT)).toEqual({ cut: false, turns: [
      { role: "user", text: "Hallo" },
      { role: "assistant", text: "Hallo! Wie kann ich helfen?" },
      { role: "user", text: "Meine Rechnung ist doppelt.\nZeile zwei" },
      { role: "assistant", text: "Ich übergebe an eine Person." },
      { role: "user", text: "Ja" },
    ] });
  });

  it("keeps a cut transcript's latest turns and drops the fragment before them", () => {
    expect(parseTranscript("[earlier messages cut]\nrest of a turn\n[user] latest")).toEqual({
      cut: true, turns: [{ role: "user", text: "latest" }] });
  });

  it("leaves what a customer wrote as it was, markers or not", () => {
    expect(parseTranscript("My printer jams.\n[user] is how our logs look")).toBeNull();
    expect(parseTranscript("Chat transcript (conversation x):\nI typed this myself")).toBeNull();
  });

  it("names the roles in the reader's words", () => {
    const host = document.createElement("div");
    render(<MessageBody text={CHAT} words={WORDS} />, host);
    const turns = [...host.querySelectorAll("li")].map((li) => li.textContent);
    expect(turns[0]).toBe("Sie Hallo");
    expect(turns[1]).toBe("Assistent Hallo! Wie kann ich helfen?");
    expect(host.textContent).not.toContain("[user]");
    expect(host.textContent).not.toContain("Chat transcript");
    render(<MessageBody text="Plain text" words={WORDS} />, host);
    expect(host.querySelector("p.body")?.textContent).toBe("Plain text");
  });

  it("links the http(s) addresses of a message, without the punctuation after them", () => {
    const host = document.createElement("div");
    const reply = "Best regards\n\n[1] Refund policy: https://help.example.com/portal/#/kb/kb_refunds\n"
      + "See (https://docs.example.com/a?b=1). Or javascript:alert(1), ftp://x.example.";
    render(<MessageBody text={reply} words={WORDS} />, host);
    const links = [...host.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual([
      "https://help.example.com/portal/#/kb/kb_refunds", "https://docs.example.com/a?b=1"]);
    expect(links.every((a) => a.getAttribute("rel") === "noopener noreferrer")).toBe(true);
    expect(host.textContent).toBe(reply);  // the text reads as written
    render(<MessageBody text={CHAT.replace("Ja", "Ja, https://shop.example/o/42.")} words={WORDS} />, host);
    expect(host.querySelector("li:last-child a")?.getAttribute("href")).toBe("https://shop.example/o/42");
  });
});
