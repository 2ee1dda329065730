// Public entry of the test environment (`@opm/sdk/testenv`): used by our tests and `opm dev cluster`.
export { ensureBinaries, ensureTool, TOOL_NAMES, type Binaries, type ToolName } from "./binaries.ts";
export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from "./controlplane.ts";
export { startTestEnv, type StartOptions, type TestEnv } from "./environment.ts";
export { TestEnvError } from "./errors.ts";
export { kubeRequest, type KubeResponse } from "./kube-client.ts";
export { startRegistry, type Registry, type RegistryOptions } from "./registry.ts";
export { clearState, isAlive, readState, writeState, type RunState } from "./state.ts";
export {
  runningState,
  spawnSupervisor,
  stopSupervisor,
  supervise,
  waitUntilReady,
  type SuperviseOptions,
} from "./supervision.ts";
