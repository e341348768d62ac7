// @vitest-environment node
// The generated client types must match the committed OpenAPI documents (tests/unit/web checks that
// the documents match the apps): regenerate with `npm --prefix web run gen:api`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ES module shared with the generator
import { schemaToTypes } from "../scripts/schema-types.mjs";

const web = join(import.meta.dirname, "..");

describe("generated API types", () => {
  const documents = readdirSync(join(web, "openapi")).filter((f) => f.endsWith(".json"));
  it("cover every OpenAPI document", () => {
    expect(documents.sort()).toEqual(["assist.json", "audit.json", "chat.json", "clients.json", "directory.json", "imports.json", "kb.json", "mail.json", "privacy.json", "reports.json", "search.json",
      "sla.json", "tickets.json", "tools.json", "webhooks.json"]);
  });
  for (const file of documents) {
    it(`src/api/schema/${file.replace(".json", ".ts")} is up to date`, async () => {
      const expected = (await schemaToTypes(join(web, "openapi", file))) as string;
      const committed = readFileSync(join(web, "src", "api", "schema", file.replace(".json", ".ts")), "utf8");
      expect(committed === expected, "stale: run `npm --prefix web run gen:api`").toBe(true);
    });
  }
});
