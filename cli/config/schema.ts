// The shape of ~/.opm/config.cue as TypeScript sees it. The authority is the catalog's CUE
// `#Config` (catalog/cue/core/config.cue), which `opm config vet` checks with the CUE engine;
// this type only names the fields the CLI reads after that check.

export interface OpmConfig {
  readonly registry?: string;
  readonly cacheDir?: string;
  readonly providers?: Readonly<Record<string, unknown>>;
  readonly kubernetes?: {
    readonly kubeconfig?: string;
    readonly context?: string;
    readonly namespace?: string;
  };
  readonly log?: {
    readonly level?: "debug" | "info" | "warn" | "error";
    readonly timestamps?: boolean;
  };
  readonly policies?: Readonly<Record<string, PlatformPolicyConfig>>;
}

/** A platform policy as the config file writes it: rules by FQN, each with its spec. */
export interface PlatformPolicyConfig {
  readonly appliesTo?: {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly components?: readonly string[];
  };
  readonly onViolation?: "block" | "warn" | "audit";
  readonly rules: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The config file's current layout; `opm config update` migrates older ones to it. */
export const CONFIG_TEMPLATE = `// OPM configuration: read by every opm command. Checked against #Config of
// opmodel.dev/core@v0 (run \`opm config vet\`). Precedence: flag > env (OPM_*) > this file > default.
package config

config: {
	// A CUE registry mapping, as CUE_REGISTRY takes it, for CUE modules' dependencies. The
	// opmodel.dev catalog is built into opm; an "opmodel.dev=<registry>" entry replaces it.
	// registry: "registry.example.com/cue-modules"

	// Providers by name; with exactly one, commands use it without --provider.
	providers: kubernetes: {}

	kubernetes: {
		kubeconfig: "~/.kube/config"
		// context: "kind-dev"
		namespace: "default"
	}

	log: {
		level:      "info"
		timestamps: true
	}
}
`;
