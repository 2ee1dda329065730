// SOPS-encrypted values files (`*.sops.yaml`, `*.sops.json`), decrypted in memory only: the
// plaintext never reaches the disk. SOPS's format: every encrypted leaf is
// `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str|int|float|bool]`, sealed with one 32-byte data key
// and the leaf's path (`a:b:c:`) as additional data; the data key itself is encrypted to each
// recipient (we read the age recipients); a MAC (SHA-512 over the plaintext leaves in file order,
// encrypted with the `lastmodified` time as additional data) proves nothing was added, removed
// or reordered. The file is walked as a YAML AST, not as parsed JS objects, because JS reorders
// integer-like keys and the MAC depends on file order.
import { createDecipheriv, createHash } from "node:crypto";
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from "yaml";
import { OpmError } from "../../sdk/errors.ts";

/** A SOPS file name: `<name>.sops.yaml|yml|json`. */
export const SOPS_FILE = /\.sops\.(ya?ml|json)$/i;

/** Sealed with the data key; the bytes before the tag, the IV, the tag and the plaintext's type. */
const ENCRYPTED = /^ENC\[AES256_GCM,data:(.*),iv:(.+),tag:(.+),type:(.+)\]$/s;

/** SOPS's marker for a MAC over only the encrypted leaves (`mac_only_encrypted`). */
const MAC_ONLY_ENCRYPTED_INIT = Buffer.from(
  "8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69",
  "hex",
);

interface SopsMetadata {
  readonly lastmodified: string;
  readonly mac: string;
  readonly age: readonly { readonly recipient?: string; readonly enc: string }[];
  readonly unencrypted_suffix?: string;
  readonly encrypted_suffix?: string;
  readonly unencrypted_regex?: string;
  readonly encrypted_regex?: string;
  readonly mac_only_encrypted?: boolean;
}

/**
 * Decrypts a SOPS values file's text with the given age identities (`AGE-SECRET-KEY-1…` lines);
 * returns the plain values without the `sops` metadata key.
 */
export async function decryptSops(
  name: string,
  text: string,
  identities: readonly string[],
): Promise<unknown> {
  const doc = parseDocument(text, { uniqueKeys: true, resolveKnownTags: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw invalid(
      name,
      `cannot parse it: ${doc.errors[0]?.message.split("\n")[0] ?? "the top level is not a map"}`,
    );
  }
  const root = doc.contents;
  const metadata = readMetadata(name, root);
  const dataKey = await unwrapDataKey(name, metadata, identities);
  const leaves: Buffer[] = [];
  if (metadata.mac_only_encrypted === true) leaves.push(MAC_ONLY_ENCRYPTED_INIT);
  const data: Record<string, unknown> = {};
  for (const pair of root.items) {
    const key = scalarKey(name, pair.key);
    if (key === "sops") continue;
    data[key] = walk(name, pair.value as Node | null, [key], { metadata, dataKey, leaves });
  }
  const expected = decryptLeaf(name, metadata.mac, dataKey, metadata.lastmodified, "the MAC");
  const actual = createHash("sha512").update(Buffer.concat(leaves)).digest("hex").toUpperCase();
  if (expected !== actual) {
    throw new OpmError("SopsTampered", {
      message: `SOPS file ${name}: its MAC does not match its content (values were added, removed, reordered or changed outside sops)`,
      hint: "restore the file from version control, or re-encrypt it with `sops --encrypt`",
    });
  }
  return data;
}

interface WalkState {
  readonly metadata: SopsMetadata;
  readonly dataKey: Buffer;
  /** The plaintext bytes the MAC covers, in file order. */
  readonly leaves: Buffer[];
}

function walk(name: string, node: Node | null, path: readonly string[], state: WalkState): unknown {
  if (node === null || (isScalar(node) && node.value === null)) return null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of (node as YAMLMap).items) {
      const key = scalarKey(name, pair.key);
      out[key] = walk(name, pair.value as Node | null, [...path, key], state);
    }
    return out;
  }
  // List items share their list's path (SOPS does not add indexes).
  if (isSeq(node)) return node.items.map((item) => walk(name, item as Node | null, path, state));
  if (!isScalar(node)) throw invalid(name, `unsupported YAML node at ${path.join(".")}`);
  const encrypted = shouldBeEncrypted(path, state.metadata);
  let value: unknown = node.value;
  if (encrypted) {
    if (typeof value !== "string") throw invalid(name, `${path.join(".")} is not encrypted`);
    // SOPS leaves empty strings as they are.
    if (value !== "")
      value = typed(
        name,
        path,
        decryptLeaf(name, value, state.dataKey, `${path.join(":")}:`, path.join(".")),
        value,
      );
  }
  if (state.metadata.mac_only_encrypted !== true || encrypted) state.leaves.push(macBytes(value));
  return value;
}

/** The value of a decrypted leaf as the type SOPS recorded. */
function typed(name: string, path: readonly string[], plain: string, sealed: string): unknown {
  const type = ENCRYPTED.exec(sealed)?.[4];
  switch (type) {
    case "str":
    case "bytes":
      return plain;
    case "int":
    case "float": {
      const n = Number(plain);
      if (Number.isNaN(n)) throw invalid(name, `${path.join(".")} is not a number after decryption`);
      return n;
    }
    case "bool":
      return plain === "True" || plain === "true";
    default:
      throw invalid(name, `${path.join(".")} has an unsupported SOPS type ${JSON.stringify(type)}`);
  }
}

/** How SOPS turns a plaintext leaf into MAC input (`ToBytes`: booleans in Python's spelling). */
function macBytes(value: unknown): Buffer {
  if (typeof value === "boolean") return Buffer.from(value ? "True" : "False");
  return Buffer.from(String(value));
}

function shouldBeEncrypted(path: readonly string[], m: SopsMetadata): boolean {
  let encrypted = true;
  if (m.unencrypted_suffix) encrypted = !path.some((p) => p.endsWith(m.unencrypted_suffix!));
  if (m.encrypted_suffix) encrypted = path.some((p) => p.endsWith(m.encrypted_suffix!));
  if (m.unencrypted_regex && path.some((p) => new RegExp(m.unencrypted_regex!).test(p))) encrypted = false;
  if (m.encrypted_regex) encrypted = path.some((p) => new RegExp(m.encrypted_regex!).test(p));
  return encrypted;
}

function decryptLeaf(
  name: string,
  sealed: string,
  key: Buffer,
  additionalData: string,
  what: string,
): string {
  const parts = ENCRYPTED.exec(sealed);
  if (parts === null) throw invalid(name, `${what} is not in SOPS's ENC[AES256_GCM,…] format`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(parts[2]!, "base64"));
    decipher.setAAD(Buffer.from(additionalData));
    decipher.setAuthTag(Buffer.from(parts[3]!, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(parts[1]!, "base64")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new OpmError("SopsTampered", {
      message: `SOPS file ${name}: ${what} does not authenticate (changed outside sops, or moved to another key)`,
      hint: "restore the file from version control, or re-encrypt it with `sops --encrypt`",
    });
  }
}

function readMetadata(name: string, root: YAMLMap): SopsMetadata {
  const node = root.items.find((pair) => isScalar(pair.key) && pair.key.value === "sops")?.value as
    Node | undefined;
  const metadata = node?.toJSON() as Partial<SopsMetadata> | undefined;
  if (metadata === undefined || typeof metadata !== "object" || metadata === null) {
    throw invalid(name, "it has no `sops` metadata key (is it encrypted with sops?)");
  }
  if (typeof metadata.mac !== "string" || typeof metadata.lastmodified !== "string") {
    throw invalid(name, "its `sops` metadata has no mac or lastmodified");
  }
  if (!Array.isArray(metadata.age) || metadata.age.length === 0) {
    throw invalid(name, "it is not encrypted to any age recipient (opm decrypts age-encrypted SOPS files)");
  }
  return metadata as SopsMetadata;
}

async function unwrapDataKey(
  name: string,
  metadata: SopsMetadata,
  identities: readonly string[],
): Promise<Buffer> {
  if (identities.length === 0) {
    throw new OpmError("SopsNoKey", {
      message: `SOPS file ${name}: no age key to decrypt it with`,
      hint: "set SOPS_AGE_KEY_FILE to an age key file (age-keygen), or SOPS_AGE_KEY to the key itself",
    });
  }
  const { Decrypter, armor } = await import("age-encryption");
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  for (const stanza of metadata.age) {
    try {
      const key = await decrypter.decrypt(armor.decode(stanza.enc));
      if (key.length === 32) return Buffer.from(key);
    } catch {
      // Not encrypted to one of our identities; try the next recipient.
    }
  }
  const recipients = metadata.age.map((a) => a.recipient ?? "?").join(", ");
  throw new OpmError("SopsWrongKey", {
    message: `SOPS file ${name}: none of the ${identities.length} age key(s) given can decrypt it (it is encrypted to ${recipients})`,
    hint: "point SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY) at the private key of one of those recipients",
  });
}

function scalarKey(name: string, key: unknown): string {
  if (!isScalar(key)) throw invalid(name, "a key is a map or a list");
  return String(key.value);
}

function invalid(name: string, why: string): OpmError {
  return new OpmError("SopsInvalid", {
    message: `SOPS file ${name}: ${why}`,
    hint: "encrypt values files with `sops --encrypt --age <recipient>`",
  });
}

/** The age identities (`AGE-SECRET-KEY-1…`) in a key file's or variable's text; comments skipped. */
export function ageIdentities(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("AGE-SECRET-KEY-"));
}
