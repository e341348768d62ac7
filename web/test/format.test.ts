// How a time reads beside a ticket, a customer or a notification: minutes, hours, then days, ago or to come.
import { describe, expect, it } from "vitest";
import { relative } from "../src/shared/format";

const NOW = Date.parse("2026-12-06T12:00:00Z");
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe("relative", () => {
  it("says just now within half a minute either way, not 0 min", () => {
    expect(relative(at(-0.4), NOW)).toBe("just now");
    expect(relative(at(0.4), NOW)).toBe("just now");
  });

  it("counts minutes, then hours, then days, ago or ahead", () => {
    expect(relative(at(-5), NOW)).toBe("5 min ago");
    expect(relative(at(90), NOW)).toBe("in 2 h");
    expect(relative(at(-3 * 1440), NOW)).toBe("3 d ago");
    expect(relative(null, NOW)).toBe("");
  });
});
