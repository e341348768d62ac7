// Regenerates the typed API client's schema: dumps each app's OpenAPI document (Python, from the
// apps themselves), then turns each into TypeScript types with openapi-typescript.
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { schemaToTypes } from "./schema-types.mjs";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const python = process.env.PYTHON ?? join(web, "..", ".venv", "bin", "python");
if (!process.argv.includes("--types-only")) {
  execFileSync(python, [join(web, "scripts", "dump_openapi.py")], { stdio: "inherit" });
}
mkdirSync(join(web, "src", "api", "schema"), { recursive: true });
for (const file of readdirSync(join(web, "openapi")).filter((f) => f.endsWith(".json"))) {
  const name = file.replace(/\.json$/, "");
  writeFileSync(join(web, "src", "api", "schema", `${name}.ts`), await schemaToTypes(join(web, "openapi", file)));
}
