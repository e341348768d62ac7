// Console and portal: two pages sharing the API client and Preact (built to dist/console, dist/portal,
// shared chunks in dist/assets). The widget is a separate single-file build: vite.widget.config.ts.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

// Swagger UI for the APIs' /docs pages, served by us (CloudFront in AWS, `helpdesk serve` locally)
// instead of a public CDN: the npm package's two built files, copied into dist/swagger-ui/.
const SWAGGER_UI_FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE", "NOTICE"];

function swaggerUi(): Plugin {
  const root = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  return {
    name: "helpdesk-swagger-ui",
    apply: "build",
    generateBundle() {
      for (const file of SWAGGER_UI_FILES) {
        this.emitFile({ type: "asset", fileName: `swagger-ui/${file}`, source: readFileSync(resolve(root, file)) });
      }
    },
  };
}

export default defineConfig({
  base: "/",
  publicDir: "public",
  plugins: [swaggerUi()],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    rolldownOptions: {
      input: {
        console: resolve(import.meta.dirname, "console/index.html"),
        portal: resolve(import.meta.dirname, "portal/index.html"),
      },
    },
  },
  test: {
    environment: "happy-dom",
    pool: "threads",
    // The tests mostly wait (a debounce, a retry's delay, a poll): one file at a time per core kept the cores idle
    // two thirds of the run (46 s wall, 18 s CPU on two cores); four threads overlap the waits (16 s, the same CPU).
    maxWorkers: 4,
    isolate: false,
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    setupFiles: ["test/effects-setup.ts"],
  },
});
