import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vitest/config";

// The UI is served by Tauri from the bundled files: no CDN, no remote fonts, no
// inline scripts (the Content-Security-Policy in src-tauri/tauri.conf.json forbids them).
export default defineConfig({
  // svelteTesting only acts under vitest: browser build of Svelte, DOM clean-up per test.
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  // The .ftl files (../locales) and the logo (../icons) are bundled from the repo root.
  server: { port: 5173, strictPort: true, fs: { allow: [".", "../locales", "../icons"] } },
  build: {
    target: "safari16",
    outDir: "dist",
    emptyOutDir: true,
    // Keep assets as files: a data: URL for a script would need a looser CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  test: {
    include: ["src/**/*.test.ts"],
    // Logic modules run in node; component tests opt into jsdom with a
    // `// @vitest-environment jsdom` first line.
    environment: "node",
  },
});
