// Artefact references: `host[:port]/repository[:tag][@sha256:<hex>]`, as the distribution spec
// and `docker`/`oras` spell them. There is no default registry: a reference always names its host.
import { OciError } from "./errors.ts";

/**
 * A parsed artefact reference, `host[:port]/repository[:tag][@digest]`; tag and digest are each
 * optional.
 */
export interface Reference {
  /** `registry.example.com` or `127.0.0.1:5000`. */
  readonly host: string;
  /** `team/app`, lower case, `/`-separated components. */
  readonly repository: string;
  /** The tag, e.g. `v1.0.0`. */
  readonly tag?: string;
  /** The manifest digest, `sha256:<hex>`, which pins the exact content. */
  readonly digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** True for a `sha256:<64 hex>` digest, as opposed to a tag. */
export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** Checks one repository path; throws InvalidReference naming what is wrong. */
export function checkRepository(repository: string, whole: string = repository): void {
  const parts = repository.split("/");
  if (repository === "" || parts.some((p) => !COMPONENT.test(p))) {
    throw new OciError("InvalidReference", {
      message: `${whole}: repository "${repository}" must be lower-case path components of [a-z0-9._-]`,
      hint: "write references as host[:port]/repository[:tag][@sha256:digest]",
    });
  }
}

/** Parses `host/repo[:tag][@digest]`; a leading `oci://` is accepted and dropped. */
export function parseReference(text: string): Reference {
  const input = text.startsWith("oci://") ? text.slice("oci://".length) : text;
  const bad = (why: string): never => {
    throw new OciError("InvalidReference", {
      message: `${text} is not a valid reference: ${why}`,
      hint: "write references as host[:port]/repository[:tag][@sha256:digest], e.g. 127.0.0.1:5000/team/app:v1.0.0",
    });
  };
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) bad(`"${digest}" is not a sha256 digest`);
  }
  const slash = rest.indexOf("/");
  if (slash <= 0) bad("it names no registry host");
  const host = rest.slice(0, slash);
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host) && !/^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host))
    bad(`"${host}" is not a host[:port]`);
  let repository = rest.slice(slash + 1);
  let tag: string | undefined;
  const colon = repository.lastIndexOf(":");
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!TAG.test(tag)) bad(`"${tag}" is not a valid tag`);
  }
  checkRepository(repository, text);
  return {
    host,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** The canonical text form of a reference. */
export function formatReference(ref: Reference): string {
  let text = `${ref.host}/${ref.repository}`;
  if (ref.tag !== undefined) text += `:${ref.tag}`;
  if (ref.digest !== undefined) text += `@${ref.digest}`;
  return text;
}
