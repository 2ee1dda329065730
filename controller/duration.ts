// Durations in the spec (`interval`, `timeout`): Go's notation, as the CRD's pattern admits.

/** `10m`, `90s`, `1h30m`, `500ms` -> milliseconds. */
export function parseInterval(text: string): number {
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const value = Number(match[1]);
    total +=
      value * (match[2] === "ms" ? 1 : match[2] === "s" ? 1000 : match[2] === "m" ? 60_000 : 3_600_000);
  }
  return total;
}
