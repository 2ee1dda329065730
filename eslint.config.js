// Lint rules, chiefly the layering of docs/architecture.md ("Layers"): sdk imports nothing of
// ours; dsl sits on sdk; catalog on dsl and sdk; bridge on sdk; providers on sdk; cli on anything
// public. Below cli there is no console, process.env or process.exit. Type-aware rules catch
// promises nobody awaits.
import tseslint from "typescript-eslint";

const layer = (...folders) => ({
  regex: `^(\\.\\./)+(${folders.join("|")})/`,
  message: "crosses a layer boundary (see docs/architecture.md); inject the dependency instead",
});
const ownPackage = {
  regex: "^@opm/sdk",
  message: "import our own code by relative path, never through the package's entries",
};

const boundaries = {
  sdk: [layer("dsl", "bridge", "catalog", "providers", "cli", "testenv"), ownPackage],
  // dsl never imports catalog: the catalog is built with the dsl, so the other way round would be a cycle.
  dsl: [layer("catalog", "bridge", "providers", "cli", "testenv"), ownPackage],
  catalog: [layer("bridge", "providers", "cli", "testenv"), ownPackage],
  bridge: [layer("dsl", "catalog", "providers", "cli", "testenv"), ownPackage],
  // providers sit on sdk; CUE transformers run in bridge (bridge/transformers), so no provider
  // imports bridge today: a provider that needs to would get an override for its file here.
  providers: [layer("dsl", "catalog", "bridge", "cli", "testenv"), ownPackage],
  testenv: [layer("dsl", "bridge", "catalog", "providers", "cli"), ownPackage],
  // The controller sits on sdk and the cluster side; its render (the CLI's composition) is
  // injected by cli/commands/controller, which runs it.
  controller: [layer("dsl", "catalog", "bridge", "cli", "testenv"), ownPackage],
};

// Every layer below cli/: no console, no process.env, no process.exit (IO comes in through
// injected interfaces and options). Network and file IO at the edges (providers, testenv) is fine.
const tests = ["**/*.test.ts", "**/*.test-d.ts", "**/__tests__/**"];

const belowCli = ["sdk", "dsl", "bridge", "catalog", "providers", "controller", "testenv"];

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "**/testdata/**",
      "bridge/dist/**",
      "coverage/**",
      "docs/api-site/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its error and its ordering: await it, return it, or
      // say `void` where dropping it is meant.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...Object.entries(boundaries).map(([folder, patterns]) => ({
    files: [`${folder}/**/*.ts`],
    ignores: tests,
    rules: { "no-restricted-imports": ["error", { patterns }] },
  })),
  {
    files: belowCli.map((f) => `${f}/**/*.ts`),
    // The test environment's own programs (npm run testenv, its supervisor) are entry points.
    ignores: [...tests, "testenv/cli.ts", "testenv/supervisor.ts", "testenv/vitest-global-setup.ts"],
    rules: {
      "no-console": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "read the environment in cli/ and pass it down" },
        { object: "process", property: "exit", message: "only cli/ exits" },
      ],
    },
  },
);
