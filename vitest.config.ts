import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@opm/source"] },
  test: {
    include: ["**/*.test.ts"],
    globalSetup: ["testenv/vitest-global-setup.ts"],
    exclude: ["node_modules/**", "dist/**", "**/testdata/**"],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
