// Zip archives as CUE modules travel in (mod/modzip): a deterministic writer (sorted names,
// deflate, fixed timestamps: same files, same bytes, same digest) and a reader that refuses
// what could escape or exhaust the disk: absolute paths, `..`, backslashes, links, duplicate or
// case-colliding names, more entries or bytes than allowed, and entries whose CRC is wrong.
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { OciError } from "./errors.ts";

/** Bounds on reading an archive, so a hostile zip cannot exhaust memory (OPM9007 when exceeded). */
export interface ZipLimits {
  /** Largest sum of uncompressed sizes. @default 524288000 (CUE's 500 MiB) */
  readonly maxTotalBytes?: number;
  /** Largest single file. @default maxTotalBytes */
  readonly maxFileBytes?: number;
  /** Most files the archive may hold. @default 10000 */
  readonly maxEntries?: number;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const UTF8_FLAG = 0x0800;
// 1980-01-01 00:00, the earliest MS-DOS date: a fixed time keeps the archive reproducible.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Writes files (path → bytes) into a zip; entries sorted by path, deflated. */
export function writeZip(
  files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array | string>>,
): Buffer {
  const entries = (files instanceof Map ? [...files.entries()] : Object.entries(files)).map(
    ([name, data]) =>
      [name, typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data)] as const,
  );
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    checkEntryName(name);
    const nameBytes = Buffer.from(name, "utf8");
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_FLAG, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, nameBytes, compressed);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL, 0);
    dir.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below is read as Unix
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(UTF8_FLAG, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt16LE(0, 12);
    dir.writeUInt16LE(DOS_DATE, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(compressed.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

function unsafe(message: string, name?: string): OciError {
  return new OciError("UnsafeArchive", {
    message: name === undefined ? message : `${JSON.stringify(name)}: ${message}`,
    hint: "the archive was not extracted; do not trust its source",
    ...(name === undefined ? {} : { details: { entry: name } }),
  });
}

/** Refuses names that could land outside the extraction root. */
export function checkEntryName(name: string): void {
  if (name === "" || name.includes("\0")) throw unsafe("an empty or NUL-bearing path", name);
  if (name.includes("\\")) throw unsafe("a backslash in a path", name);
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw unsafe("an absolute path", name);
  if (name.split("/").some((part) => part === ".." || part === "."))
    throw unsafe("a path with . or .. in it", name);
  if (name.endsWith("/")) throw unsafe("a directory entry (module zips hold files only)", name);
}

/** Reads every file of a zip, checking names, kinds, sizes and CRCs before returning anything. */
export function readZip(zip: Uint8Array, limits: ZipLimits = {}): Map<string, Buffer> {
  const data = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const maxTotal = limits.maxTotalBytes ?? 500 * 1024 * 1024;
  const maxFile = limits.maxFileBytes ?? maxTotal;
  const maxEntries = limits.maxEntries ?? 10_000;
  let endAt = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === END) {
      endAt = i;
      break;
    }
  }
  if (endAt < 0) throw unsafe("not a zip archive (no end of central directory)");
  const count = data.readUInt16LE(endAt + 10);
  const dirSize = data.readUInt32LE(endAt + 12);
  const dirOffset = data.readUInt32LE(endAt + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw unsafe("zip64 archives are not accepted");
  if (count > maxEntries) throw unsafe(`more entries than allowed (${count} > ${maxEntries})`);
  if (dirOffset + dirSize > endAt) throw unsafe("a corrupt central directory");
  const files = new Map<string, Buffer>();
  const folded = new Set<string>();
  let total = 0;
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL)
      throw unsafe("a corrupt central directory");
    const madeBy = data.readUInt16LE(at + 4) >> 8;
    const method = data.readUInt16LE(at + 10);
    const crc = data.readUInt32LE(at + 16);
    const compressedSize = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    const external = data.readUInt32LE(at + 38);
    const localOffset = data.readUInt32LE(at + 42);
    const name = data.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    checkEntryName(name);
    const mode = external >>> 16;
    const kind = mode & 0o170000;
    if (madeBy === 3 && kind !== 0 && kind !== 0o100000) {
      throw unsafe(kind === 0o120000 ? "a symbolic link" : "not a regular file", name);
    }
    if (files.has(name)) throw unsafe("a duplicate entry", name);
    const lower = name.toLowerCase();
    if (folded.has(lower)) throw unsafe("two entries differ only in letter case", name);
    folded.add(lower);
    if (size > maxFile)
      throw new OciError("SizeLimitExceeded", {
        message: `${name} is larger than allowed (${size} > ${maxFile} bytes)`,
      });
    total += size;
    if (total > maxTotal)
      throw new OciError("SizeLimitExceeded", {
        message: `the archive unpacks to more than ${maxTotal} bytes`,
      });
    if (localOffset + 30 > data.length || data.readUInt32LE(localOffset) !== LOCAL)
      throw unsafe("a corrupt local header", name);
    const start =
      localOffset + 30 + data.readUInt16LE(localOffset + 26) + data.readUInt16LE(localOffset + 28);
    const raw = data.subarray(start, start + compressedSize);
    if (raw.length !== compressedSize) throw unsafe("a truncated entry", name);
    let content: Buffer;
    if (method === 0) content = Buffer.from(raw);
    else if (method === 8) {
      try {
        // The declared size bounds the output: a lying header cannot inflate past it.
        content = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch {
        throw unsafe("an entry that does not inflate to its declared size", name);
      }
    } else throw unsafe(`compression method ${method} is not supported`, name);
    if (content.length !== size) throw unsafe("an entry whose size differs from its header", name);
    if (crc32(content) !== crc) throw unsafe("an entry whose CRC does not match", name);
    files.set(name, content);
  }
  return files;
}
