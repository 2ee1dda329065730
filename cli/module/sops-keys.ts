// Where the age keys for SOPS files come from, as sops itself looks: the key text in
// SOPS_AGE_KEY, the key file SOPS_AGE_KEY_FILE, and sops's default key file
// ($XDG_CONFIG_HOME/sops/age/keys.txt, else ~/.config/sops/age/keys.txt). All that exist are tried.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { OpmError } from "../../sdk/errors.ts";
import { ageIdentities } from "./sops.ts";

type Env = Readonly<Record<string, string | undefined>>;

export async function sopsIdentities(env: Env): Promise<string[]> {
  const identities = ageIdentities(env["SOPS_AGE_KEY"] ?? "");
  const keyFile = env["SOPS_AGE_KEY_FILE"];
  if (keyFile !== undefined && keyFile !== "") {
    const text = await readFile(keyFile, "utf8").catch(() => undefined);
    if (text === undefined) {
      throw new OpmError("SopsNoKey", {
        message: `SOPS_AGE_KEY_FILE names ${keyFile}, which does not exist or cannot be read`,
        hint: "point SOPS_AGE_KEY_FILE at an age key file (made by age-keygen)",
      });
    }
    identities.push(...ageIdentities(text));
  }
  const configHome = env["XDG_CONFIG_HOME"] || join(env["HOME"] ?? homedir(), ".config");
  const fallback = await readFile(join(configHome, "sops", "age", "keys.txt"), "utf8").catch(() => "");
  identities.push(...ageIdentities(fallback));
  return [...new Set(identities)];
}
