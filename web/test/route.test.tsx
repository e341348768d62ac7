import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useHashRoute } from "../src/shared/route";

function Shown() {
  return <p data-testid="route">{useHashRoute()}</p>;
}

afterEach(() => {
  document.body.innerHTML = "";
  history.replaceState(null, "", "#");
});

describe("the hash route", () => {
  it("follows a change made before its listener was attached (a link followed while the page started)", async () => {
    history.replaceState(null, "", "#/");
    const host = document.body.appendChild(document.createElement("div"));
    render(<Shown />, host);
    history.replaceState(null, "", "#/t/abc"); // no hashchange reaches a listener that is not there yet
    await vi.waitFor(() => expect(host.textContent).toBe("/t/abc"));
  });

  it("follows the browser's navigation", async () => {
    history.replaceState(null, "", "#/");
    const host = document.body.appendChild(document.createElement("div"));
    render(<Shown />, host);
    await vi.waitFor(() => expect(host.textContent).toBe("/"));
    window.location.hash = "#/kb";
    await vi.waitFor(() => expect(host.textContent).toBe("/kb"));
  });
});
