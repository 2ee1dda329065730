// CRD vendoring: CustomResourceDefinitions to CUE definitions and TS types with builders.
export { CrdShapeError, readCrd, type Crd, type CrdVersion, type JsonSchema } from "./schema.ts";
export { crdVersionToCue } from "./to-cue.ts";
export { crdToTypeScript } from "./to-ts.ts";
