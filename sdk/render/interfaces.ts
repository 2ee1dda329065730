// Interfaces between components (RFC-0004, docs/interfaces.md): every interface a component
// requires is wired to the one provider of that interface, first among the other components of
// the module, then among the provisions other releases in the namespace published (which the
// caller read from the cluster: render stays pure). The wired value is the provider's values
// with `host` set to the providing component's Service DNS name; the components factory is then
// called again with those values, so `requires.db.host` reads a concrete name in TS and CUE alike.
import { OpmError, type SourceLocation } from "../errors.ts";
import type { Component } from "../ir/component.ts";
import type { InterfaceBindings, NamingMode } from "../ir/module.ts";
import type { PublishedProvision } from "./provisions.ts";

/** An interface another release in the namespace provides, as it published it. */
export interface ExternalProvision {
  /** The providing release. */
  readonly release: string;
  /** The providing component (its name in that release). */
  readonly component: string;
  /** The provider's local name for the interface. */
  readonly local: string;
  /** The interface's FQN. */
  readonly interface: string;
  /** The shape's values, `host` included; secrets as references to the provider's Secrets. */
  readonly value: Readonly<Record<string, unknown>>;
}

/** An interface a component of the release provides, where consumers reach it. */
export interface ProvidedInterface {
  /** The providing component. */
  readonly component: string;
  /** Its local name for the interface (`provides.<local>`). */
  readonly local: string;
  /** The interface's FQN. */
  readonly interface: string;
  /** The component's Service DNS name, `<service>.<namespace>.svc.cluster.local`. */
  readonly host: string;
  /** The port the provider gives, when its shape has one. */
  readonly port?: number;
}

/** One requirement and the provider it is wired to. */
export interface InterfaceWire {
  /** The requiring component. */
  readonly component: string;
  /** Its local name for the interface (`requires.<local>`). */
  readonly local: string;
  /** The interface's FQN. */
  readonly interface: string;
  /** The provider: a component of this release, or of another release (`release` set). */
  readonly provider: { readonly release?: string; readonly component: string; readonly local: string };
  /** Where the consumer reaches the provider. */
  readonly host: string;
  /** The provider's port, when its shape has one. */
  readonly port?: number;
}

/** What the release provides and how each of its requirements is wired. */
export interface WiringPlan {
  /** Every interface the release's components provide, by component then local name. */
  readonly provides: readonly ProvidedInterface[];
  /** Every requirement, by component then local name, with its provider. */
  readonly wires: readonly InterfaceWire[];
}

export interface WiringInput {
  /** The components as the factory returned them, by key. */
  readonly components: Readonly<Record<string, Component>>;
  readonly release: string;
  readonly namespace: string;
  readonly naming: NamingMode;
  /** Provisions of other releases; undefined when nobody looked (no cluster). */
  readonly external?: readonly ExternalProvision[] | undefined;
  readonly locate?: ((component: string) => SourceLocation | undefined) | undefined;
}

export interface Wiring {
  /** The values to call the factory with, by component key; empty when nothing is required. */
  readonly bindings: InterfaceBindings;
  readonly plan: WiringPlan;
  /** What the release provides with the values consumers get (secret values included). */
  readonly published: readonly PublishedProvision[];
  readonly errors: readonly OpmError[];
}

/** The plan of a release that provides and requires nothing. */
export const EMPTY_WIRING: WiringPlan = { provides: [], wires: [] };

/** A local name usable as a ConfigMap key part and a CUE label: `db`, `orders-api`. */
const LOCAL_NAME = /^[a-zA-Z][-_a-zA-Z0-9]*$/;

/** The DNS name of a component's Service in the namespace (decision 7 names it). */
export function serviceHost(
  component: string,
  input: Pick<WiringInput, "release" | "namespace" | "naming">,
): string {
  const name = input.naming === "release-prefixed" ? `${input.release}-${component}` : component;
  return `${name}.${input.namespace}.svc.cluster.local`;
}

interface Candidate {
  readonly release?: string;
  readonly component: string;
  readonly key?: string;
  readonly local: string;
  readonly value: Readonly<Record<string, unknown>>;
}

const nameOf = (key: string, component: Component): string =>
  component.metadata.name === "" ? key : component.metadata.name;

const portOf = (value: Readonly<Record<string, unknown>>): { port?: number } =>
  typeof value["port"] === "number" ? { port: value["port"] } : {};

/** Wires every requirement of the components, or says why one cannot be wired. */
export function wireInterfaces(input: WiringInput): Wiring {
  const errors: OpmError[] = [];
  const provided: (ProvidedInterface & { readonly key: string; readonly value: Record<string, unknown> })[] =
    [];
  const keys = Object.keys(input.components).sort();
  for (const key of keys) {
    const component = input.components[key]!;
    const name = nameOf(key, component);
    for (const local of Object.keys(component.provides ?? {}).sort()) {
      const provision = component.provides![local]!;
      const problems = [
        ...(LOCAL_NAME.test(local)
          ? []
          : [`the local name is not a letter followed by letters, digits, - or _`]),
        ...(provision.interface.schema?.validate?.(provision.value) ?? []).map(
          (issue) => `${issue.path.length === 0 ? "" : `${issue.path.join(".")}: `}${issue.message}`,
        ),
      ];
      if (problems.length > 0) {
        errors.push(
          new OpmError("InvalidProvision", {
            message: `component ${name} provides ${provision.interface.metadata.name} as ${JSON.stringify(local)}: ${problems.join("; ")}`,
            hint: `give the fields of ${provision.interface.metadata.fqn} except host (OPM sets it)`,
            location: component.locations?.[`provides.${local}`] ?? input.locate?.(name),
            details: { component: name, local, interface: provision.interface.metadata.fqn },
          }),
        );
        continue;
      }
      const host = serviceHost(name, input);
      const value = { host, ...(provision.interface.defaults ?? {}), ...provision.value };
      provided.push({
        key,
        component: name,
        local,
        interface: provision.interface.metadata.fqn,
        host,
        ...portOf(value),
        value,
      });
    }
  }

  const bindings: Record<string, Record<string, Readonly<Record<string, unknown>>>> = {};
  const wires: InterfaceWire[] = [];
  for (const key of keys) {
    const component = input.components[key]!;
    const name = nameOf(key, component);
    for (const local of Object.keys(component.requires ?? {}).sort()) {
      const wanted = component.requires![local]!;
      const fqn = wanted.metadata.fqn;
      const inModule: Candidate[] = provided.filter((p) => p.interface === fqn && p.key !== key);
      const outside: Candidate[] = (input.external ?? []).filter((p) => p.interface === fqn);
      // The module's own providers come first: a release is wired inside itself when it can be.
      const candidates = inModule.length > 0 ? inModule : outside;
      const about = `component ${name} requires ${wanted.metadata.name} (${fqn}) as ${JSON.stringify(local)}`;
      const details = { component: name, local, interface: fqn };
      const location = component.locations?.[`requires.${local}`] ?? input.locate?.(name);
      if (candidates.length === 0) {
        const looked =
          input.external === undefined
            ? "no cluster was consulted for other releases"
            : `no other release in namespace ${input.namespace} provides it`;
        errors.push(
          new OpmError("InterfaceUnfulfilled", {
            message: `${about}, but no other component of the module provides it and ${looked}`,
            hint:
              input.external === undefined
                ? "add a component that provides it, or apply a release that provides it to the namespace and pass --kubeconfig/--context so OPM can find it"
                : `add a component that provides it, or apply a release that provides it to namespace ${input.namespace} first`,
            location,
            details,
          }),
        );
        continue;
      }
      if (candidates.length > 1) {
        const names = candidates.map(describe).join(", ");
        errors.push(
          new OpmError("InterfaceAmbiguous", {
            message: `${about}, and ${candidates.length} provide it: ${names}`,
            hint: "keep one provider of the interface in the module (or in the namespace)",
            location,
            details: { ...details, providers: candidates.map(describe) },
          }),
        );
        continue;
      }
      const chosen = candidates[0]!;
      const value = chosen.value;
      (bindings[key] ??= {})[local] = value;
      wires.push({
        component: name,
        local,
        interface: fqn,
        provider: {
          ...(chosen.release === undefined ? {} : { release: chosen.release }),
          component: chosen.component,
          local: chosen.local,
        },
        host: String(value["host"]),
        ...portOf(value),
      });
    }
  }
  const provides = provided.map(({ key: _key, value: _value, ...rest }) => rest);
  const published = provided.map(({ component, local, interface: fqn, value }) => ({
    component,
    local,
    interface: fqn,
    value,
  }));
  return { bindings, plan: { provides, wires }, published, errors };
}

function describe(c: Candidate): string {
  return c.release === undefined
    ? `component ${c.component} (as ${c.local})`
    : `release ${c.release} component ${c.component} (as ${c.local})`;
}

/** True when any component requires an interface: the factory must run again with bindings. */
export function requiresAny(components: Readonly<Record<string, Component>>): boolean {
  return Object.values(components).some((c) => Object.keys(c.requires ?? {}).length > 0);
}
