// What the scaffolds are filled with. A module name must be an RFC-1123 DNS label (it becomes
// Kubernetes names and labels); the TS and CUE templates share these values.

export interface TemplateData {
  /** `my-app` */
  readonly name: string;
  /** `MyApp` */
  readonly pascal: string;
  /** `example.com/my-app@v0` */
  readonly apiVersion: string;
  /** `my_app`: a CUE package name (identifiers may not hold `-`). */
  readonly cuePackage: string;
  readonly version: string;
}

export const TEMPLATES = ["simple", "standard", "advanced"] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export const LANGUAGES = ["ts", "cue"] as const;

export interface ScaffoldFile {
  readonly path: string;
  readonly description: string;
  readonly content: string;
}

export function templateData(name: string): TemplateData {
  return {
    name,
    pascal: name
      .split("-")
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join(""),
    apiVersion: `example.com/${name}@v0`,
    cuePackage: name.replaceAll("-", "_"),
    version: "0.1.0",
  };
}
