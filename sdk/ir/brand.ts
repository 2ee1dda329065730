// Identity checks that survive duplicate copies of this package in node_modules: no bare
// `instanceof`. An IR value is recognised by its `kind` discriminant plus the minimal shape of
// that kind; builders may additionally stamp a `Symbol.for("opm.<Kind>")` brand, which is
// checked first. Values that crossed a JSON boundary (e.g. from the CUE engine) carry no brand
// and are still recognised structurally.

/** The `kind` discriminant of every IR value; the `is*` guards recognise a value by it. */
export type IrKind =
  | "Module"
  | "ModuleRelease"
  | "Component"
  | "Resource"
  | "Trait"
  | "Blueprint"
  | "Policy"
  | "PolicyRule"
  | "Interface"
  | "Provider"
  | "Transformer"
  | "TransformerContext";

const brands = new Map<IrKind, symbol>();

/** The registry-wide symbol for a kind, e.g. `Symbol.for("opm.Component")`. */
export function brandOf(kind: IrKind): symbol {
  let symbol = brands.get(kind);
  if (symbol === undefined) {
    symbol = Symbol.for(`opm.${kind}`);
    brands.set(kind, symbol);
  }
  return symbol;
}

/** Stamps the brand as a non-enumerable property (invisible to JSON and key iteration). */
export function brand<T extends object>(kind: IrKind, value: T): T {
  Object.defineProperty(value, brandOf(kind), { value: true, enumerable: false });
  return value;
}

function isRecord(x: unknown): x is Record<string | symbol, unknown> {
  return typeof x === "object" && x !== null;
}

/** True when `x` is branded as `kind`, or carries `kind` and a `metadata` object. */
export function hasKind(x: unknown, kind: IrKind): boolean {
  if (!isRecord(x)) return false;
  if (x[brandOf(kind)] === true) return true;
  // The context has no metadata; every other kind does.
  return x["kind"] === kind && (kind === "TransformerContext" || isRecord(x["metadata"]));
}
