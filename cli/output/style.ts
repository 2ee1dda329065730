// Terminal styling. Colour is decided once per run (flag, NO_COLOR, FORCE_COLOR, TTY) and passed
// around as a Style, so nothing below asks the environment again and tests see plain text.

export interface Style {
  readonly colored: boolean;
  error(text: string): string;
  warning(text: string): string;
  ok(text: string): string;
  accent(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

function wrap(colored: boolean, open: string, close = "\u001b[0m") {
  return (text: string) => (colored ? `${open}${text}${close}` : text);
}

export function createStyle(colored: boolean): Style {
  return {
    colored,
    error: wrap(colored, "\u001b[1;31m"),
    warning: wrap(colored, "\u001b[1;33m"),
    ok: wrap(colored, "\u001b[32m"),
    accent: wrap(colored, "\u001b[36m"),
    dim: wrap(colored, "\u001b[2m"),
    bold: wrap(colored, "\u001b[1m"),
  };
}

/**
 * Whether to colour output: the flag decides when given (`--color` forces it, also into a pipe;
 * `--no-color` turns it off); else `NO_COLOR` (no-color.org: any non-empty value) turns it off,
 * `FORCE_COLOR` (Node convention; `0`/`false` off) forces it, and otherwise only a TTY gets it.
 */
export function colorsWanted(
  env: Readonly<Record<string, string | undefined>>,
  stream: unknown,
  flag?: boolean,
): boolean {
  if (flag !== undefined) return flag;
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  return Boolean((stream as { isTTY?: boolean } | undefined)?.isTTY);
}
