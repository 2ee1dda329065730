// The External Secrets Operator's ExternalSecret CRD (external-secrets.io/v1), written for the
// tests: the fields OPM renders, with a structural schema, so the real kube-apiserver stores
// and validates ExternalSecret objects. The operator itself cannot run here (it needs a secret
// store), so nothing turns them into Secrets: tests check the object the API server holds.
import { kubeRequest } from "./kube-client.ts";

const NAME = "externalsecrets.external-secrets.io";

const string = { type: "string" };

export const externalSecretCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: NAME },
  spec: {
    group: "external-secrets.io",
    scope: "Namespaced",
    names: {
      plural: "externalsecrets",
      singular: "externalsecret",
      kind: "ExternalSecret",
      shortNames: ["es"],
    },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: {
                  refreshInterval: string,
                  secretStoreRef: {
                    type: "object",
                    required: ["name"],
                    properties: {
                      name: string,
                      kind: { type: "string", enum: ["SecretStore", "ClusterSecretStore"] },
                    },
                  },
                  target: {
                    type: "object",
                    properties: {
                      name: string,
                      creationPolicy: { type: "string", enum: ["Owner", "Orphan", "Merge", "None"] },
                    },
                  },
                  data: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["secretKey", "remoteRef"],
                      properties: {
                        secretKey: string,
                        remoteRef: {
                          type: "object",
                          required: ["key"],
                          properties: { key: string, property: string, version: string },
                        },
                      },
                    },
                  },
                },
              },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          },
        },
      },
    ],
  },
};

/** Creates the CRD unless it exists, and waits until the API server serves it (≤ 30 s). */
export async function installExternalSecretsCrd(kubeconfig: string): Promise<void> {
  const created = await kubeRequest(
    kubeconfig,
    "POST",
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    externalSecretCrd,
  );
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`creating the ExternalSecret CRD: HTTP ${created.status}`);
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const served = await kubeRequest(kubeconfig, "GET", "/apis/external-secrets.io/v1");
    if (served.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the ExternalSecret CRD was not served within 30s");
}
