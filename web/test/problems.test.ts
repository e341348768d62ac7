import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/client";
import { LANGUAGES } from "../src/shared/language";
import { PROBLEM_TEXT, problemReference, problemText } from "../src/shared/problems";

const api = (status: number, code: string, details: unknown = {}) => new ApiError(status, code, "English for integrations", details);
const schema = (...types: string[]) => ({ errors: types.map((type) => ({ loc: ["body", "body"], type, msg: "" })) });

describe("a failed call told to a customer", () => {
  it("has every sentence in every language", () => {
    for (const lang of LANGUAGES) expect(Object.keys(PROBLEM_TEXT[lang]).sort()).toEqual(Object.keys(PROBLEM_TEXT.en).sort());
  });

  it("is said from the status and code, never the API's English message", () => {
    const cases: [ApiError, keyof typeof PROBLEM_TEXT.en][] = [
      [api(422, "validation_error", schema("string_too_long")), "tooLong"],
      [api(413, "payload_too_large", schema("payload_too_large")), "tooLarge"],
      [api(422, "validation_error", schema("missing", "string_too_short")), "missing"],
      [api(422, "validation_error", schema("missing", "enum")), "invalid"],
      [api(400, "malformed_json"), "invalid"],
      [api(401, "unauthorized"), "expired"],
      [api(404, "not_found"), "notFound"],
      [api(409, "invalid_transition"), "changed"],
      [api(410, "gone"), "gone"],
      [api(415, "unsupported_media_type"), "fileType"],
      [api(422, "attachment_infected"), "infected"],
      [api(429, "rate_limited", { retry_after_s: 12 }), "tooMany"],
      [api(503, "index_unavailable"), "unavailable"],
      [api(502, "http_error", null), "unavailable"],
    ];
    for (const [error, problem] of cases) {
      expect(problemText(error, "de"), `${error.status} ${error.code}`).toBe(PROBLEM_TEXT.de[problem]);
    }
  });

  it("tells a fetch that never reached the API as a connection problem, any other failure as ours", () => {
    expect(problemText(new TypeError("Failed to fetch"), "fr")).toBe(PROBLEM_TEXT.fr.offline);
    expect(problemText(new Error("bug"), "pt")).toBe(PROBLEM_TEXT.pt.unavailable);
    expect(problemReference(new TypeError("Failed to fetch"), "fr")).toBeNull();
  });

  it("keeps the status and code as the reference support looks up", () => {
    expect(problemReference(api(429, "rate_limited"), "es")).toBe("Referencia: 429 rate_limited");
  });
});
