import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { Markdown } from "../src/shared/markdown";
import { pictureOf, publicPictures, signedInPictures, uploadPicture } from "../src/shared/pictures";

const ID = "0123456789abcdef0123456789abcdef";
const PATH = `/kb/public/acme/articles/kb_1/images/${ID}`;
const API = "https://api.example";
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => vi.unstubAllGlobals());

describe("an article's pictures", () => {
  it("are told by their own route only", () => {
    expect(pictureOf(PATH)).toEqual({ tenant: "acme", articleId: "kb_1", imageId: ID, path: PATH });
    expect(pictureOf(`${API}${PATH}`, API)?.imageId).toBe(ID);  // at the API's own address
    expect(pictureOf(`https://evil.example${PATH}`, API)).toBeNull();
    expect(pictureOf(`${PATH}?x=1`)).toBeNull();
    expect(pictureOf(`/kb/public/acme/articles/kb_1/images/${ID.toUpperCase()}`)).toBeNull();
    expect(pictureOf("/kb/public/acme/articles/kb_1/images/../../x")).toBeNull();
    expect(pictureOf("https://cdn.example.com/billing.png")).toBeNull();
  });

  it("show as pictures where the page loads them, and any other image as a link", () => {
    const host = document.createElement("div");
    const source = `Open the dialog.\n\n![The print dialog](${PATH})\n\n![Elsewhere](https://cdn.example.com/x.png) ![x](javascript:alert(1))`;
    render(<Markdown source={source} pictures={publicPictures(new ApiClient({ baseUrl: API }))} />, host);
    const img = host.querySelector("img");
    expect(img?.getAttribute("src")).toBe(`${API}${PATH}`);
    expect(img?.getAttribute("alt")).toBe("The print dialog");
    expect(img?.getAttribute("loading")).toBe("lazy");
    expect(img?.className).toBe("picture");  // its width is the style sheet's: the CSP allows no inline style
    expect(host.querySelectorAll("img")).toHaveLength(1);
    expect(host.querySelector("a.image-link")?.getAttribute("href")).toBe("https://cdn.example.com/x.png");
    expect(host.querySelectorAll("[style]")).toHaveLength(0);

    const plain = document.createElement("div");  // a page that does not say how: a link, as before
    render(<Markdown source={source} />, plain);
    expect(plain.querySelector("img")).toBeNull();
    expect(plain.querySelector("a.image-link")?.getAttribute("href")).toBe(PATH);
  });

  it("are fetched with the caller's token on signed-in pages", async () => {
    const fetch = vi.fn(async () => new Response(new Blob([new Uint8Array([0x89, 0x50])], { type: "image/png" })));
    vi.stubGlobal("fetch", fetch);
    const created = vi.fn(() => "blob:https://console.example/1");
    const revoked = vi.fn();
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: created, revokeObjectURL: revoked }));
    const host = document.createElement("div");
    const api = new ApiClient({ baseUrl: API, token: () => "tok" });
    render(<Markdown source={`![Shot](${PATH})`} pictures={signedInPictures(api)} />, host);
    expect(host.querySelector("img")).toBeNull();  // nothing loaded yet: its text
    await settle();
    await settle();
    expect(fetch).toHaveBeenCalledWith(`${API}/kb/articles/kb_1/images/${ID}`, { headers: { authorization: "Bearer tok" } });
    expect(host.querySelector("img")?.getAttribute("src")).toBe("blob:https://console.example/1");
    render(null, host);
    expect(revoked).toHaveBeenCalledWith("blob:https://console.example/1");
  });

  it("show their text when they cannot be loaded", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ error: { code: "not_found", message: "no such picture", details: {} } }), { status: 404 })));
    const host = document.createElement("div");
    render(<Markdown source={`![Shot](${PATH})`} pictures={signedInPictures(new ApiClient({ baseUrl: API }))} />, host);
    await settle();
    await settle();
    expect(host.querySelector("img")).toBeNull();
    expect(host.querySelector("[data-testid=picture-missing]")?.textContent).toBe("Shot");
  });

  it("are uploaded, stored and checked before the article names them", async () => {
    const calls: string[] = [];
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? "GET"} ${url}`);
      if (url.endsWith("/images")) {
        return new Response(JSON.stringify({ image_id: ID, upload: { url: "https://s3.example/bucket", fields: { key: "kb/acme/kb_1/x" } }, expires_at: "", max_bytes: 3 }), { status: 201 });
      }
      if (url.startsWith("https://s3.example")) return new Response(null, { status: 204 });
      return new Response(JSON.stringify({ id: ID, article_id: "kb_1", filename: "shot.png", content_type: "image/png", size: 3, sha256: null, url: PATH, markdown: `![shot](${PATH})` }));
    });
    vi.stubGlobal("fetch", fetch);
    const api = new ApiClient({ baseUrl: API });
    const picture = await uploadPicture(api, "kb_1", new File([new Uint8Array([1, 2, 3])], "shot.png", { type: "image/png" }));
    expect(picture.markdown).toBe(`![shot](${PATH})`);
    expect(calls).toEqual([`POST ${API}/kb/articles/kb_1/images`, "POST https://s3.example/bucket", `POST ${API}/kb/articles/kb_1/images/${ID}/complete`]);
    await expect(uploadPicture(api, "kb_1", new File(["<svg/>"], "logo.svg", { type: "image/svg+xml" }))).rejects.toMatchObject({ status: 415 });
    expect(calls).toHaveLength(3);  // an SVG is refused before anything is asked
  });
});
