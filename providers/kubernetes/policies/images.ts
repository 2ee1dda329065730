// The image rules: no `:latest` (or untagged) images, and images only from allowed registries.
// An image reference is `[host[:port]/]path[:tag][@digest]`; without a host it is on docker.io
// (`nginx` is `docker.io/library/nginx`), as container runtimes resolve it.
import type { PolicyRuleImplementation, PolicyViolation } from "../../../sdk/index.ts";
import { containersOf } from "./pod-specs.ts";

export interface ImageReference {
  /** `docker.io`, `ghcr.io`, `localhost:5000`. */
  readonly host: string;
  /** `library/nginx`, `acme/api`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImage(image: string): ImageReference {
  const at = image.indexOf("@");
  const digest = at < 0 ? undefined : image.slice(at + 1);
  const name = at < 0 ? image : image.slice(0, at);
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const tag = colon > lastSlash ? name.slice(colon + 1) : undefined;
  const path = colon > lastSlash ? name.slice(0, colon) : name;
  const first = path.split("/")[0]!;
  const hasHost = path.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = hasHost ? first : "docker.io";
  const rest = hasHost ? path.slice(first.length + 1) : path;
  const repository = host === "docker.io" && !rest.includes("/") ? `library/${rest}` : rest;
  return {
    host,
    repository,
    ...(tag === undefined || tag === "" ? {} : { tag }),
    ...(digest === undefined || digest === "" ? {} : { digest }),
  };
}

function imagesOf(objects: Parameters<typeof containersOf>[0]) {
  return containersOf(objects)
    .filter((c) => typeof c.container["image"] === "string")
    .map((c) => ({ ...c, image: c.container["image"] as string, field: `${c.path}.image` }));
}

export const noLatestImage: PolicyRuleImplementation = {
  hint: "pin the image to a version tag (nginx:1.27.3) or a digest (nginx@sha256:...)",
  check: ({ objects, spec }) => {
    const { requireDigest } = spec as { requireDigest?: boolean };
    const out: PolicyViolation[] = [];
    for (const { object, image, field } of imagesOf(objects)) {
      const ref = parseImage(image);
      if (requireDigest === true && ref.digest === undefined) {
        out.push({
          object,
          field,
          message: `image ${image} has no digest`,
          hint: "pin the image by digest (name@sha256:...)",
        });
      } else if (ref.digest === undefined && ref.tag === undefined) {
        out.push({ object, field, message: `image ${image} has no tag, so it runs whatever latest is` });
      } else if (ref.digest === undefined && ref.tag === "latest") {
        out.push({ object, field, message: `image ${image} uses the tag latest` });
      }
    }
    return out;
  },
};

/** `ghcr.io` allows every image on that host; `ghcr.io/acme` those under that path. */
function allowedBy(ref: ImageReference, entry: string): boolean {
  const full = `${ref.host}/${ref.repository}`;
  const prefix = entry.replace(/\/+$/, "");
  return full === prefix || full.startsWith(`${prefix}/`);
}

export const allowedRegistries: PolicyRuleImplementation = {
  check: ({ objects, spec }) => {
    const { registries } = spec as { registries: readonly string[] };
    const out: PolicyViolation[] = [];
    for (const { object, image, field } of imagesOf(objects)) {
      const ref = parseImage(image);
      if (registries.some((entry) => allowedBy(ref, entry))) continue;
      out.push({
        object,
        field,
        message: `image ${image} (${ref.host}/${ref.repository}) is from none of the allowed registries ${registries.join(", ")}`,
        hint: `use an image from ${registries.join(" or ")}, e.g. a mirror of it`,
      });
    }
    return out;
  },
};
