import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Component styles go to the extracted CSS file; no <style> is injected at run
    // time, which the style-src 'self' policy would block.
    css: "external",
  },
};
