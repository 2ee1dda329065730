// Which inline secrets of component specs the release renders (docs/secrets-and-config.md): the
// literals and External Secrets references found anywhere in a spec, with or without the `$opm`
// mark; never a component's own `spec.secrets` (its Secret transformer renders those) nor a
// reference to an existing Secret (nothing to render).
import { describe, expect, it } from "vitest";
import { findComponentSecrets, groupSecrets } from "./secrets.ts";

const literal = { $opm: "secret", $secretName: "api", $dataKey: "token", value: "t" } as const;
const eso = {
  $secretName: "license",
  $dataKey: "key",
  externalSecret: { store: "vault", remoteKey: "shop/license" },
};
const reference = {
  $opm: "secret",
  $secretName: "db",
  $dataKey: "pw",
  secretName: "db-creds",
  remoteKey: "pw",
};

describe("findComponentSecrets", () => {
  it("finds literals and ESO references at any depth, marking the unmarked, in key order", () => {
    const found = findComponentSecrets({
      web: {
        spec: {
          container: { env: { B: { from: eso }, A: { from: literal }, C: { from: reference } } },
          secrets: { own: { data: { token: literal } } },
          volumes: [{ name: "x", secret: { from: literal } }],
        },
      },
    });
    expect(found.map((f) => [f.path.join("."), f.secret.$secretName])).toEqual([
      ["components.web.spec.container.env.A.from", "api"],
      ["components.web.spec.container.env.B.from", "license"],
      ["components.web.spec.volumes.0.secret.from", "api"],
    ]);
    expect(found[1]!.secret).toEqual({ $opm: "secret", ...eso });
  });

  it("leaves alone what only looks like a secret: no value or store, or another mark", () => {
    expect(
      findComponentSecrets({
        web: {
          spec: {
            a: { $secretName: "x", $dataKey: "y" },
            b: { $opm: "other", $secretName: "x", $dataKey: "y", value: "v" },
            c: { $secretName: 1, $dataKey: "y", value: "v" },
          },
        },
      }),
    ).toEqual([]);
  });

  it("groups with the config's copy of the same secret, whatever the key order", () => {
    const config = { $opm: "secret" as const, $secretName: "api", $dataKey: "token", value: "t" };
    const inline = { value: "t", $dataKey: "token", $secretName: "api" };
    const { groups, errors } = groupSecrets([
      { path: ["token"], secret: config },
      ...findComponentSecrets({ web: { spec: { env: { from: inline } } } }),
    ]);
    expect(errors).toEqual([]);
    expect(Object.keys(groups)).toEqual(["api"]);
  });
});
