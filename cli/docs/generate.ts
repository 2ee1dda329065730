// `npm run docs:cli`: writes docs/cli.md and docs/errors.md from the command definitions and
// the error code registries (see reference.ts), formatted with the repository's prettier config.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildCli } from "../main.ts";
import { cliReference, errorReference, formatMarkdown } from "./reference.ts";

const docs = fileURLToPath(new URL("../../docs/", import.meta.url));
writeFileSync(`${docs}cli.md`, await formatMarkdown(cliReference(await buildCli()), `${docs}cli.md`));
writeFileSync(`${docs}errors.md`, await formatMarkdown(errorReference(), `${docs}errors.md`));
process.stdout.write(`wrote ${docs}cli.md and ${docs}errors.md\n`);
