// Shared pieces of the Gateway API route transformers (HTTPRoute, GRPCRoute, TCPRoute): the
// parent Gateway and the backend Service. TLS belongs to the Gateway's listener in the Gateway
// API, so a route that asks for a certificate is refused instead of silently losing it.
import type { TransformerContext } from "../../sdk/index.ts";
import { compact } from "./define.ts";
import type { RouteAttachment } from "./spec.ts";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/** `spec.parentRefs`: the trait's gateway, when it names one. */
export function parentRefs(route: RouteAttachment, what: string): Record<string, unknown>[] | undefined {
  if (route.tls?.certificateRef !== undefined) {
    throw new Error(
      `${what}.tls.certificateRef: a Gateway API route cannot carry a certificate; configure TLS on the Gateway's listener`,
    );
  }
  if (route.gatewayRef === undefined) return undefined;
  return [compact({ name: route.gatewayRef.name, namespace: route.gatewayRef.namespace })];
}

/** One backend: the component's Service on the rule's port. */
export function backendRefs(
  context: TransformerContext,
  service: string,
  port: number,
): Record<string, unknown>[] {
  return [{ name: context.objectName(service), port }];
}
