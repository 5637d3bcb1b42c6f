import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// The UI is served by Tauri from the bundled files: no CDN, no remote fonts, no
// inline scripts (the Content-Security-Policy in src-tauri/tauri.conf.json forbids them).
export default defineConfig({
  plugins: [svelte()],
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
    environment: "node",
  },
});
