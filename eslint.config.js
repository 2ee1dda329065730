// Lint rules, chiefly the layering of ../shared/design/architecture.md section 2:
// sdk imports nothing of ours; dsl and catalog sit on sdk; bridge on sdk; providers on sdk and bridge;
// cli on anything public. Below cli there is no console, process.env or process.exit.
import tseslint from "typescript-eslint";

const layer = (...folders) => ({
  regex: `^(\\.\\./)+(${folders.join("|")})/`,
  message: "crosses a layer boundary (see architecture.md section 2); inject the dependency instead",
});
const ownPackage = {
  regex: "^@opm/sdk",
  message: "import our own code by relative path, never through the package's entries",
};

const boundaries = {
  sdk: [layer("dsl", "bridge", "catalog", "providers", "cli", "testenv"), ownPackage],
  dsl: [layer("bridge", "providers", "cli", "testenv"), ownPackage],
  catalog: [layer("bridge", "providers", "cli", "testenv"), ownPackage],
  bridge: [layer("dsl", "catalog", "providers", "cli", "testenv"), ownPackage],
  providers: [layer("dsl", "cli", "testenv"), ownPackage],
  testenv: [layer("dsl", "bridge", "catalog", "providers", "cli"), ownPackage],
};

const pureCore = ["sdk", "dsl", "bridge", "catalog"];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "**/testdata/**", "bridge/dist/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...Object.entries(boundaries).map(([folder, patterns]) => ({
    files: [`${folder}/**/*.ts`],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns }] },
  })),
  {
    files: pureCore.map((f) => `${f}/**/*.ts`),
    ignores: ["**/*.test.ts"],
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
