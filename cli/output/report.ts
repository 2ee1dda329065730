// What `--verbose` and `--verbose-json` show on stderr: the module, the resolved settings with
// their sources, the match plan with reasons, each resource with its provenance, and warnings.
import type { OpmWarning, PolicyRuleResult, WiringPlan } from "../../sdk/index.ts";
import { describeSettings } from "../config/settings.ts";
import type { PreparedRender } from "../module/pipeline.ts";
import { stageLines } from "./stages.ts";
import type { Style } from "./style.ts";

function objectName(object: { kind: string; metadata?: { name?: unknown; namespace?: unknown } }): string {
  const namespace = object.metadata?.namespace;
  const ns = typeof namespace === "string" && namespace !== "" ? `${namespace}/` : "";
  return `${object.kind}/${ns}${String(object.metadata?.name ?? "")}`;
}

export function warningLines(warnings: readonly OpmWarning[], style: Style): string[] {
  return warnings.map((w) => `${style.warning(`warning ${w.code}`)}: ${w.message}`);
}

export function verboseReport(prepared: PreparedRender, style: Style): string {
  const { module, result } = prepared;
  const lines: string[] = [];
  const where = prepared.location.language === "ts" ? prepared.location.file : prepared.location.dir;
  lines.push(style.bold(`module ${module.metadata.fqn} ${module.metadata.version}`), `  file: ${where}`);
  if (result.release !== undefined) {
    lines.push(
      `  release: ${result.release.name} in namespace ${result.release.namespace} (${result.release.identity})`,
    );
  }
  lines.push(style.bold("settings"), ...describeSettings(prepared.settings).map((l) => `  ${l}`));
  lines.push(style.bold("match plan"));
  for (const component of result.matchPlan.components) {
    lines.push(`  component ${component.component}`);
    for (const decision of component.decisions) {
      const mark = decision.matched ? style.ok("✔ matched") : style.dim("✘ skipped");
      lines.push(`    ${mark} ${decision.transformer}: ${decision.reason}`);
    }
    for (const trait of component.unhandledTraits)
      lines.push(`    ${style.warning("! unhandled trait")} ${trait}`);
    for (const resource of component.unhandledResources)
      lines.push(`    ${style.error("✘ unrendered resource")} ${resource}`);
  }
  lines.push(...policyLines(result.policies, style));
  lines.push(...interfaceLines(result.wiring, style));
  lines.push(style.bold(`resources (${result.resources.length})`));
  for (const resource of result.resources) {
    lines.push(
      `  ${objectName(resource.object)} ${style.dim(`<- ${resource.component} via ${resource.transformer}${patchedBy(resource.patches)}`)}`,
    );
  }
  lines.push(style.bold(`stages (${result.stages.stages.length})`));
  lines.push(...stageLines(result.stages, style).map((l) => `  ${l}`));
  return `${lines.join("\n")}\n`;
}

function patchedBy(patches: readonly string[] | undefined): string {
  return patches === undefined ? "" : `, patched by ${patches.join(", ")}`;
}

/**
 * The policy part of the plan: each rule of each policy with its action, what enforces it, the
 * components it applies to, and each violation with the object and field at fault.
 */
export function policyLines(policies: readonly PolicyRuleResult[], style: Style): string[] {
  if (policies.length === 0) return [];
  const lines = [style.bold("policies")];
  for (const p of policies) {
    const origin = p.source === "platform" ? "platform policy" : "policy";
    const scope = p.components.length === 0 ? "no components" : p.components.join(", ");
    const enforced =
      p.enforcedBy === "none" ? style.warning("not enforced") : `checked by the ${p.enforcedBy}`;
    const mark =
      p.violations.length === 0
        ? style.ok("✔")
        : p.onViolation === "block"
          ? style.error("✘")
          : style.warning("!");
    lines.push(`  ${mark} ${origin} ${p.policy}: ${p.rule} (${p.onViolation}, ${enforced}) on ${scope}`);
    for (const v of p.violations) {
      const object = v.object === undefined ? "" : ` ${v.object.kind}/${v.object.name}`;
      const field = v.field === undefined ? "" : ` ${v.field}`;
      lines.push(`      ${v.component}${object}${field}: ${v.message}`);
    }
  }
  return lines;
}

export function verboseJson(prepared: PreparedRender): string {
  const { module, result } = prepared;
  const settings = Object.fromEntries(
    Object.entries(prepared.settings).map(([k, v]) => [
      k,
      { value: v.value, source: v.source, shadowed: v.shadowed },
    ]),
  );
  const report = {
    module: {
      fqn: module.metadata.fqn,
      name: module.metadata.name,
      version: module.metadata.version,
      identity: module.metadata.identity,
      file: prepared.location.language === "ts" ? prepared.location.file : prepared.location.dir,
    },
    release: result.release ?? null,
    settings,
    matchPlan: result.matchPlan,
    policies: result.policies,
    resources: result.resources.map((r) => ({
      apiVersion: r.object.apiVersion,
      kind: r.object.kind,
      namespace: r.object.metadata?.namespace ?? null,
      name: r.object.metadata?.name ?? null,
      component: r.component,
      transformer: r.transformer,
      stage: r.stage ?? 0,
    })),
    stages: result.stages,
    warnings: result.warnings,
    errors: result.errors.map((e) => e.toJSON()),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** `fqn` as its short name: `opmodel.dev/interfaces/data@v0#Postgres` → `Postgres`. */
const shortName = (fqn: string): string => fqn.slice(fqn.indexOf("#") + 1);

const endpoint = (host: string, port: number | undefined): string =>
  port === undefined ? host : `${host}:${port}`;

/**
 * The interfaces part of the plan: what the release provides and where consumers reach it, then
 * each requirement with the provider it is wired to (docs/interfaces.md).
 */
export function interfaceLines(wiring: WiringPlan, style: Style): string[] {
  if (wiring.provides.length === 0 && wiring.wires.length === 0) return [];
  const lines = [style.bold("interfaces")];
  for (const p of wiring.provides) {
    lines.push(
      `  provides ${p.component}.${p.local} ${shortName(p.interface)} at ${endpoint(p.host, p.port)}`,
    );
  }
  for (const w of wiring.wires) {
    const from =
      w.provider.release === undefined
        ? `${w.provider.component}.${w.provider.local}`
        : `release ${w.provider.release} ${w.provider.component}.${w.provider.local}`;
    lines.push(
      `  ${style.ok("✔")} ${w.component}.${w.local} requires ${shortName(w.interface)} <- ${from} at ${endpoint(w.host, w.port)}`,
    );
  }
  return lines;
}
