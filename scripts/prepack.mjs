// `npm pack` / `npm publish` run this first (package.json `prepack`): it builds what the tarball
// carries (the CUE engine for every platform, tsc's dist/ and the CLI bundle with its executable),
// then refuses to go on when anything the package needs at run time is missing, so a tarball is
// never made from an unbuilt or half-built tree.
//   node scripts/prepack.mjs            build, then check
//   node scripts/prepack.mjs --check    check only (the tarball test; CI after `npm run build:all`)
//   [--root <dir>]                      the package root to check (default: this repository)
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const checkOnly = args.includes("--check");
const rootFlag = args.indexOf("--root");
const root =
  rootFlag >= 0 ? resolve(args[rootFlag + 1] ?? ".") : fileURLToPath(new URL("../", import.meta.url));

function run(command, argv) {
  execFileSync(command, argv, { cwd: root, stdio: "inherit" });
}

if (!checkOnly) {
  try {
    run("bash", ["bridge/build.sh"]);
    run("npm", ["run", "--silent", "build"]);
    run("npm", ["run", "--silent", "build:cli"]);
  } catch {
    console.error("prepack: the build failed (see above); no tarball is made from this tree");
    process.exit(1);
  }
}

/** Every file the installed package needs, relative to the root; an empty list when all are there. */
async function missingFiles() {
  const missing = [];
  const need = (file, executable = false) => {
    const path = file.replace(/^\.\//, "");
    const full = join(root, path);
    if (!existsSync(full)) return void missing.push(path);
    if (!executable) return;
    try {
      accessSync(full, constants.X_OK);
    } catch {
      missing.push(`${path} (not executable)`);
    }
  };
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  for (const bin of Object.values(pkg.bin ?? {})) need(bin, true);
  need("dist/opm/cli.cjs");
  need("dist/opm/module-worker.cjs");
  need("dist/opm/module-worker-code.cjs");
  for (const target of Object.values(pkg.exports ?? {})) {
    if (target === null || typeof target !== "object") continue;
    need(target.types);
    need(target.default);
  }
  need("bridge/dist/cue-engine.wasm");
  need("bridge/dist/wasm_exec.js");
  const locate = join(root, "dist/bridge/locate.js");
  if (existsSync(locate)) {
    // The platform list lives in one place, bridge/locate.ts.
    const { NATIVE_PLATFORMS, nativeBinaryName } = await import(pathToFileURL(locate).href);
    for (const platform of NATIVE_PLATFORMS) {
      const [os, arch] = platform.split("-");
      need(`bridge/dist/${nativeBinaryName(os, arch)}`, os !== "win32");
    }
  }
  const catalog = join(root, "catalog/cue");
  const modules = existsSync(catalog)
    ? readdirSync(catalog).filter((name) => existsSync(join(catalog, name, "cue.mod", "module.cue")))
    : [];
  if (modules.length === 0) missing.push("catalog/cue/<module>/cue.mod/module.cue");
  for (const script of ["testenv/build.sh", "testenv/reaper.sh", "testenv/versions.env"]) need(script);
  return missing;
}

const missing = await missingFiles();
if (missing.length > 0) {
  console.error(
    `prepack: refusing to pack an unbuilt tree; missing:\n${missing.map((m) => `  ${m}`).join("\n")}\n` +
      "build it with `npm run build:all` (needs Go for the CUE engine), or run `npm pack` without --ignore-scripts",
  );
  process.exit(1);
}
if (checkOnly) console.log("prepack: the tree holds everything the package needs");
