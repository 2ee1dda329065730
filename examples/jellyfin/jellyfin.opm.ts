// Jellyfin, a media server: one stateful component whose media volumes come from a map in the
// values (one volume and one mount per library), with health checks and an exposed port.
import { z } from "zod";
import {
  Container,
  Expose,
  HealthCheck,
  RestartPolicy,
  Scaling,
  Volumes,
  type VolumeMountSchema,
  type VolumeSchema,
} from "@opm/sdk/catalog";
import { component, defineModule, workloadType } from "@opm/sdk/dsl";

const storageSize = z.string().regex(/^[0-9]+[MGT]i$/);

const config = z.object({
  image: z.object({ repository: z.string(), tag: z.string() }),
  port: z.int().min(1).max(65535),
  timezone: z.string(),
  config: z.object({ size: storageSize, storageClass: z.string().optional() }),
  /** Media libraries: each becomes a volume mounted at its path. */
  media: z.record(
    z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/),
    z.object({ mountPath: z.string(), size: storageSize }),
  ),
});

type Config = z.output<typeof config>;

function claim(size: string, storageClass: string | undefined) {
  return { persistentClaim: { size, ...(storageClass === undefined ? {} : { storageClass }) } };
}

function volumes(cfg: Config): Record<string, VolumeSchema> {
  return Object.fromEntries([
    ["config", { name: "config", ...claim(cfg.config.size, cfg.config.storageClass) }],
    ...Object.entries(cfg.media).map(([name, library]) => [
      `media-${name}`,
      { name: `media-${name}`, ...claim(library.size, undefined) },
    ]),
  ]);
}

function mounts(cfg: Config): Record<string, VolumeMountSchema> {
  const all = volumes(cfg);
  return Object.fromEntries([
    ["config", { ...all["config"]!, mountPath: "/config" }],
    ...Object.entries(cfg.media).map(([name, library]) => [
      `media-${name}`,
      { ...all[`media-${name}`]!, mountPath: library.mountPath },
    ]),
  ]);
}

export default defineModule({
  metadata: {
    apiVersion: "example.com/modules@v0",
    name: "jellyfin",
    version: "1.0.0",
    description: "Jellyfin media server",
    defaultNamespace: "media",
  },
  config,
  values: {
    image: { repository: "jellyfin/jellyfin", tag: "10.10.3" },
    port: 8096,
    timezone: "Europe/Stockholm",
    config: { size: "10Gi" },
    media: {
      movies: { mountPath: "/media/movies", size: "500Gi" },
      shows: { mountPath: "/media/shows", size: "1Ti" },
    },
  },
  components: (cfg) => ({
    jellyfin: component(
      workloadType("stateful"),
      Container({
        name: "jellyfin",
        image: `${cfg.image.repository}:${cfg.image.tag}`,
        ports: { http: { targetPort: cfg.port } },
        env: { TZ: { value: cfg.timezone } },
        volumeMounts: mounts(cfg),
      }),
      Volumes(volumes(cfg)),
      Scaling({ count: 1 }),
      RestartPolicy("Always"),
      HealthCheck({
        livenessProbe: {
          httpGet: { path: "/health", port: cfg.port },
          initialDelaySeconds: 30,
          periodSeconds: 10,
        },
        readinessProbe: { httpGet: { path: "/health", port: cfg.port }, initialDelaySeconds: 10 },
      }),
      Expose({ type: "ClusterIP", ports: { http: { targetPort: cfg.port, exposedPort: 80 } } }),
    ),
  }),
});
