import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TestEnvError } from "./errors.ts";

export interface Certificates {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === "ENOENT") throw new TestEnvError("openssl is not installed", "apt-get install openssl");
    throw new TestEnvError(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() ?? e.message}`);
  }
}

/**
 * Generates a throwaway CA, the API server's serving certificate for 127.0.0.1, an admin client
 * certificate in system:masters, and the service-account signing key pair.
 */
export function generateCertificates(dir: string): Certificates {
  mkdirSync(dir, { recursive: true });
  const c: Certificates = {
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    servingCert: join(dir, "apiserver.crt"),
    servingKey: join(dir, "apiserver.key"),
    adminCert: join(dir, "admin.crt"),
    adminKey: join(dir, "admin.key"),
    serviceAccountKey: join(dir, "sa.key"),
    serviceAccountPub: join(dir, "sa.pub"),
  };
  const key = (path: string) =>
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path], dir);
  key(c.caKey);
  openssl(
    [
      "req",
      "-x509",
      "-new",
      "-key",
      c.caKey,
      "-subj",
      "/CN=opm-testenv-ca",
      "-days",
      "3650",
      "-out",
      c.caCert,
    ],
    dir,
  );

  const sign = (name: string, subject: string, keyPath: string, certPath: string, extensions: string) => {
    key(keyPath);
    const csr = join(dir, `${name}.csr`);
    const ext = join(dir, `${name}.ext`);
    writeFileSync(ext, extensions);
    openssl(["req", "-new", "-key", keyPath, "-subj", subject, "-out", csr], dir);
    openssl(
      [
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        c.caCert,
        "-CAkey",
        c.caKey,
        "-CAcreateserial",
        "-days",
        "3650",
        "-out",
        certPath,
        "-extfile",
        ext,
      ],
      dir,
    );
  };
  sign(
    "apiserver",
    "/CN=kube-apiserver",
    c.servingKey,
    c.servingCert,
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n",
  );
  sign("admin", "/O=system:masters/CN=opm-admin", c.adminKey, c.adminCert, "extendedKeyUsage=clientAuth\n");

  openssl(
    ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", c.serviceAccountKey],
    dir,
  );
  openssl(["pkey", "-in", c.serviceAccountKey, "-pubout", "-out", c.serviceAccountPub], dir);
  return c;
}
