// `opm registry login`: the credentials are checked against the registry before they are
// stored, so a typo never lands in the config file.
import { OciError, staticCredentials, storeDockerCredential } from "../../providers/oci/index.ts";
import { registryClientFor } from "./registry.ts";

export interface LoginRequest {
  readonly host: string;
  readonly username: string;
  readonly password?: string | undefined;
  readonly passwordStdin: boolean;
  readonly caFile?: string | undefined;
  readonly insecure: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

export async function login(
  request: LoginRequest,
  stdin: NodeJS.ReadableStream,
  cwd: string,
  env: Env,
): Promise<string> {
  let password = request.password;
  if (request.passwordStdin) password = (await readAll(stdin)).replace(/\r?\n$/, "");
  if (password === undefined || password === "") {
    throw new OciError("RegistryUnauthorized", {
      message: "no password given",
      hint: "pipe it in with --password-stdin",
    });
  }
  const client = await registryClientFor({ caFile: request.caFile }, env, cwd, {
    credentials: staticCredentials({ [request.host]: { username: request.username, password } }),
    // HTTPS unless --insecure, as docker login: a login is for a registry that guards itself.
    plainHttp: () => request.insecure,
  });
  await client.ping(request.host);
  const stored = await storeDockerCredential(
    { env },
    { host: request.host, username: request.username, password },
  );
  return stored.helper ?? stored.path;
}
