// The chat widget: one classic script (IIFE), no framework, so a website embeds it with one <script> tag.
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  publicDir: false,
  build: {
    outDir: "dist/widget",
    emptyOutDir: false,
    target: "es2020",
    minify: true,
    lib: {
      entry: resolve(import.meta.dirname, "src/widget/index.ts"),
      name: "HelpdeskChat",
      formats: ["iife"],
      fileName: () => "helpdesk-chat.js",
    },
  },
});
