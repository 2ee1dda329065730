// The providers built into this CLI, each loaded only when chosen: by the pipeline for CUE
// modules and by the module worker for TypeScript modules.
import type { Provider } from "../../sdk/index.ts";

export const BUILTIN_PROVIDERS: Readonly<Record<string, () => Promise<Provider>>> = {
  kubernetes: async () => (await import("../../providers/kubernetes/index.ts")).kubernetesProvider,
};
