import { readFileSync } from "node:fs";

const b64 = (file: string) => readFileSync(file).toString("base64");

/** A kubeconfig with one cluster, one admin user (client certificate) and one context. */
export function renderKubeconfig(opts: {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  context: string;
  namespace?: string;
}): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: ${opts.context}
  cluster:
    server: ${opts.server}
    certificate-authority-data: ${b64(opts.caCert)}
users:
- name: ${opts.context}-admin
  user:
    client-certificate-data: ${b64(opts.clientCert)}
    client-key-data: ${b64(opts.clientKey)}
contexts:
- name: ${opts.context}
  context:
    cluster: ${opts.context}
    user: ${opts.context}-admin
    namespace: ${opts.namespace ?? "default"}
current-context: ${opts.context}
`;
}
