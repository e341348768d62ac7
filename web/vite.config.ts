// Console and portal: two pages sharing the API client and Preact (built to dist/console, dist/portal,
// shared chunks in dist/assets). The widget is a separate single-file build: vite.widget.config.ts.
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  base: "/",
  publicDir: "public",
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
    isolate: false,
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
  },
});
