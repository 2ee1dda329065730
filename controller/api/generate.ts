// `npm run gen:crd`: writes controller/deploy/crd.yaml, the ModuleRelease CRD generated from the
// zod schemas in controller/api/types.ts. controller/api/crd.test.ts fails when it is stale.
import { writeFileSync } from "node:fs";
import { crdYaml } from "./crd.ts";

const target = new URL("../deploy/crd.yaml", import.meta.url);
writeFileSync(target, crdYaml());
process.stdout.write(`wrote ${target.pathname}\n`);
