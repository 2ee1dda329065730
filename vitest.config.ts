import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    conditions: ["@opm/source"],
    // clipanion 3's ES build imports a directory, which Node's ESM loader refuses; Node itself
    // loads its CommonJS build, so tests do the same.
    alias: { clipanion: "clipanion/lib/advanced/index.js" },
  },
  test: {
    include: ["**/*.test.ts"],
    globalSetup: ["testenv/vitest-global-setup.ts"],
    exclude: ["node_modules/**", "dist/**", "**/testdata/**"],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
