// The shipped catalogue: every locales/*/*.ftl file, bundled into the UI at build time.
import { buildBundles, type Bundles } from "./fluent";

const sources = import.meta.glob<string>("../../../locales/*/*.ftl", {
  query: "?raw",
  import: "default",
  eager: true,
});

export const shippedBundles: Bundles = buildBundles(sources);
export const shippedSources: Readonly<Record<string, string>> = sources;
