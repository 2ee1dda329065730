// A stream whose writes pass through a run's SecretStrings first. Everything a command prints
// goes through one of these (base.ts wraps stdout and stderr), so a secret value that reaches
// free text (an API server's message, a verbose plan, a module's own log line) is replaced
// before it leaves the process. Everything but `write` is the wrapped stream's own (isTTY,
// columns, events).
import type { SecretStrings } from "../../sdk/redact.ts";

export function redacting<S extends NodeJS.WritableStream>(
  stream: S,
  secrets: () => SecretStrings | undefined,
): S {
  return new Proxy(stream, {
    get(target, property, receiver) {
      if (property === "write") {
        return (chunk: unknown, ...rest: unknown[]) => {
          const active = secrets();
          const text =
            active === undefined || active.size === 0
              ? chunk
              : active.redact(
                  typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"),
                );
          return (target.write as (...args: unknown[]) => boolean).call(target, text, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
