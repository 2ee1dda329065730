// The CueEngine over a transport: request ids, per-request timeouts and cancellation, handles
// wrapped as CueValues, and engine errors turned into CueEngineErrors.
import type {
  CompileOptions,
  CueEngine,
  EngineKind,
  FieldsOptions,
  FillWith,
  FromJSONSchemaOptions,
  LoadModuleOptions,
  LoadOptions,
  LoadedInstance,
  LoadedModule,
  ModuleComponentsOptions,
  ModulePoliciesOptions,
  OpenAPIOptions,
  OutputOptions,
  RequestOptions,
  SourceOutputOptions,
  ValidateOptions,
  ValidationReport,
} from "./engine.ts";
import { CueEngineError, isCueEngineError, staleHandle } from "./errors.ts";
import {
  type CatalogResult,
  type CueFieldInfo,
  type HandleResult,
  type JsonValue,
  type LoadModuleResult,
  type LoadResult,
  type LookupResult,
  type PingResult,
  type ValidateResult,
  type VersionResult,
  type WireResponse,
  encodeRequest,
} from "./protocol.ts";
import type { EngineTransport } from "./transport.ts";
import { CueValue } from "./value.ts";

export class EngineClient implements CueEngine {
  private nextId = 0;
  private closed = false;
  private readonly transport: EngineTransport;
  private readonly defaultTimeoutMs: number;

  constructor(transport: EngineTransport, defaultTimeoutMs: number) {
    this.transport = transport;
    this.defaultTimeoutMs = defaultTimeoutMs;
  }

  get kind(): EngineKind {
    return this.transport.kind;
  }

  get pid(): number | undefined {
    return this.transport.pid;
  }

  ping(options?: RequestOptions): Promise<PingResult> {
    return this.call("ping", {}, options);
  }

  version(options?: RequestOptions): Promise<VersionResult> {
    return this.call("version", {}, options);
  }

  catalog(options?: RequestOptions & { readonly registry?: string }): Promise<CatalogResult> {
    return this.call("catalog", { registry: options?.registry }, options);
  }

  async compile(source: string, options?: CompileOptions): Promise<CueValue> {
    const result = await this.call<HandleResult>("compile", { source, filename: options?.filename }, options);
    return this.wrap(result.handle, this.transport.generation);
  }

  async load(options: LoadOptions): Promise<LoadedInstance> {
    const { dir, overlay, registry } = options;
    const result = await this.call<LoadResult>(
      "load",
      { dir, package: options.package, overlay, registry },
      options,
    );
    return {
      value: this.wrap(result.handle, this.transport.generation),
      module: result.module,
      importPath: result.importPath,
      files: result.files,
    };
  }

  async loadModule(options: LoadModuleOptions): Promise<LoadedModule> {
    const { dir, overlay, registry, path, exclude } = options;
    const result = await this.call<LoadModuleResult>(
      "loadModule",
      { dir, package: options.package, overlay, registry, path, exclude },
      options,
    );
    const generation = this.transport.generation;
    return {
      value: this.wrap(result.handle, generation),
      config: this.wrap(result.config, generation),
      path: result.path,
      module: result.module,
      importPath: result.importPath,
      files: result.files,
      excluded: result.excluded ?? [],
      metadata: result.metadata,
      values: result.values,
      valuePositions: result.valuePositions,
      hasPolicies: result.hasPolicies,
    };
  }

  async moduleComponents(module: CueValue, options: ModuleComponentsOptions): Promise<JsonValue> {
    const params = {
      handle: module.handle,
      path: options.path,
      values: options.values,
      ...(options.requires === undefined ? {} : { requires: options.requires }),
      ...(options.discover === true ? { discover: true } : {}),
    };
    const result = await this.call<{ components: JsonValue }>("moduleComponents", params, options, module);
    return result.components;
  }

  async modulePolicies(module: CueValue, options: ModulePoliciesOptions): Promise<JsonValue> {
    const params = { handle: module.handle, path: options.path, values: options.values };
    const result = await this.call<{ policies: JsonValue }>("modulePolicies", params, options, module);
    return result.policies;
  }

  async export(value: CueValue, options?: OutputOptions): Promise<JsonValue> {
    const result = await this.call<{ value: JsonValue }>(
      "export",
      outputParams(value, options, "json"),
      options,
      value,
    );
    return result.value;
  }

  async exportText(value: CueValue, format: "cue" | "yaml", options?: SourceOutputOptions): Promise<string> {
    const result = await this.call<{ source?: string; yaml?: string }>(
      "export",
      outputParams(value, options, format),
      options,
      value,
    );
    return result.source ?? result.yaml ?? "";
  }

  async eval(value: CueValue, options?: SourceOutputOptions): Promise<string> {
    const result = await this.call<{ source: string }>(
      "eval",
      outputParams(value, options, "cue"),
      options,
      value,
    );
    return result.source;
  }

  async fill(value: CueValue, path: string, with_: FillWith, options?: RequestOptions): Promise<CueValue> {
    const result = await this.call<HandleResult>(
      "fill",
      { handle: value.handle, path, ...with_ },
      options,
      value,
    );
    return this.wrap(result.handle, value.generation);
  }

  async unify(a: CueValue, b: CueValue, options?: RequestOptions): Promise<CueValue> {
    if (a.generation !== b.generation) throw staleHandle();
    const result = await this.call<HandleResult>("unify", { a: a.handle, b: b.handle }, options, a);
    return this.wrap(result.handle, a.generation);
  }

  async validate(value: CueValue, options?: ValidateOptions): Promise<ValidationReport> {
    const { path, concrete, definitions, hidden } = options ?? {};
    const params = { handle: value.handle, path, concrete, definitions, hidden };
    const result = await this.call<ValidateResult>("validate", params, options, value);
    return { ok: result.ok, issues: result.errors };
  }

  async fields(value: CueValue, options?: FieldsOptions): Promise<readonly CueFieldInfo[]> {
    const { path, definitions, hidden, optional } = options ?? {};
    const params = { handle: value.handle, path, definitions, hidden, optional };
    const result = await this.call<{ fields: CueFieldInfo[] }>("fields", params, options, value);
    return result.fields;
  }

  async lookup(value: CueValue, path: string, options?: RequestOptions): Promise<CueValue | undefined> {
    const result = await this.call<LookupResult>("lookup", { handle: value.handle, path }, options, value);
    return result.exists && result.handle !== undefined
      ? this.wrap(result.handle, value.generation)
      : undefined;
  }

  async format(source: string, options?: CompileOptions): Promise<string> {
    const result = await this.call<{ source: string }>(
      "format",
      { source, filename: options?.filename },
      options,
    );
    return result.source;
  }

  async fromJSON(json: string, options?: CompileOptions): Promise<string> {
    const result = await this.call<{ source: string }>(
      "fromJSON",
      { json, filename: options?.filename },
      options,
    );
    return result.source;
  }

  async toJSONSchema(
    value: CueValue,
    options?: RequestOptions & { readonly path?: string },
  ): Promise<JsonValue> {
    const params = { handle: value.handle, path: options?.path };
    const result = await this.call<{ schema: JsonValue }>("toJSONSchema", params, options, value);
    return result.schema;
  }

  async toOpenAPI(value: CueValue, options?: OpenAPIOptions): Promise<JsonValue> {
    const { path, title, version, expandReferences } = options ?? {};
    const params = { handle: value.handle, path, title, version, expandReferences };
    const result = await this.call<{ document: JsonValue }>("toOpenAPI", params, options, value);
    return result.document;
  }

  async fromJSONSchema(schema: string, options?: FromJSONSchemaOptions): Promise<string> {
    const { root, filename } = options ?? {};
    const params = { json: schema, root, package: options?.package, filename };
    const result = await this.call<{ source: string }>("fromJSONSchema", params, options);
    return result.source;
  }

  async release(...values: CueValue[]): Promise<void> {
    // Values of an earlier engine are gone already; only the live ones need a request.
    const live = values.filter((v) => v.generation === this.transport.generation);
    for (const value of values) value.markReleased();
    if (live.length === 0 || this.closed) return;
    await this.call("release", { handles: live.map((v) => v.handle) });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.transport.close();
  }

  private wrap(handle: number, generation: number): CueValue {
    return new CueValue(handle, generation, (value) => this.release(value));
  }

  /** One request: resolves with its result, or rejects with a CueEngineError. */
  private call<T>(method: string, params: unknown, options?: RequestOptions, uses?: CueValue): Promise<T> {
    if (this.closed)
      return Promise.reject(
        new CueEngineError({ code: "Closed", message: "the CUE engine is closed", method }),
      );
    if (uses?.released) {
      return Promise.reject(
        new CueEngineError({ code: "HandleInvalidated", message: "this value was released", method }),
      );
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(aborted(method, signal));
    const id = ++this.nextId;
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    const started = performance.now();
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        return true;
      };
      const timer = setTimeout(() => {
        if (!finish()) return;
        this.transport.abandon(id, true);
        reject(
          new CueEngineError({
            code: "Timeout",
            message: `${method} took longer than ${timeoutMs} ms`,
            method,
          }),
        );
      }, timeoutMs);
      const onAbort = (): void => {
        if (!finish()) return;
        this.transport.abandon(id, false);
        reject(aborted(method, signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.transport.send(id, encodeRequest(id, method, params), uses?.generation).then(
        (line) => {
          if (!finish()) return;
          // The wasm engine blocks the JS thread while it works, so its answer can come before
          // the timer had a chance to fire: the clock decides, not the order of events.
          if (performance.now() - started > timeoutMs) {
            reject(
              new CueEngineError({
                code: "Timeout",
                message: `${method} took longer than ${timeoutMs} ms`,
                method,
              }),
            );
            return;
          }
          try {
            resolve(decodeResult<T>(line, method));
          } catch (error) {
            reject(error as Error);
          }
        },
        (error: unknown) => {
          if (!finish()) return;
          reject(isCueEngineError(error) ? withMethod(error, method) : error);
        },
      );
    });
  }
}

function outputParams(value: CueValue, options: SourceOutputOptions | undefined, format: string) {
  const { path, hidden, definitions, optional, docs } = options ?? {};
  return { handle: value.handle, path, format, hidden, definitions, optional, docs };
}

function decodeResult<T>(line: string, method: string): T {
  let response: WireResponse;
  try {
    response = JSON.parse(line) as WireResponse;
  } catch (cause) {
    throw new CueEngineError({
      code: "ProtocolError",
      message: `unreadable answer to ${method}`,
      method,
      cause,
    });
  }
  if (response.error !== undefined) {
    const { code, message, errors } = response.error;
    throw new CueEngineError({ code, message, issues: errors, method });
  }
  return response.result as T;
}

function withMethod(error: CueEngineError, method: string): CueEngineError {
  if (error.method !== undefined) return error;
  return new CueEngineError({
    code: error.reason,
    message: error.message,
    issues: error.issues,
    method,
    hint: error.hint,
    cause: error.cause,
  });
}

function aborted(method: string, signal: AbortSignal | undefined): CueEngineError {
  return new CueEngineError({
    code: "Aborted",
    message: `${method} was aborted`,
    method,
    cause: signal?.reason,
  });
}
