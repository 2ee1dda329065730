package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
)

// engine holds everything that outlives a request: one CUE context (values from different
// contexts cannot be combined), the handle table and how to reach registries.
// It is not safe for concurrent use; transports serialise requests.
type engine struct {
	ctx     *cue.Context
	handles *handleTable
	flavour string // "native" or "wasm"
	// transport carries registry HTTP traffic; nil means net/http's default (native only).
	transport http.RoundTripper
	// memoryCeiling is the live-heap size above which new work is refused.
	memoryCeiling uint64
	// defaultRegistry is CUE_REGISTRY for loads that name none ("" falls back to $CUE_REGISTRY).
	defaultRegistry string
	// cacheDir is CUE_CACHE_DIR for fetched modules ("" falls back to $CUE_CACHE_DIR or the user cache).
	cacheDir string
	// wasmRegistries are the wasm build's registries by CUE_REGISTRY value.
	wasmRegistries map[string]*extractingRegistry
	// catalog serves the opmodel.dev modules shipped with the package (nil: none given).
	catalog *builtinCatalog
}

// engineFlags are the command-line settings both builds share.
type engineFlags struct {
	memoryMB   int
	registry   string
	cacheDir   string
	catalogDir string
}

func registerEngineFlags() *engineFlags {
	f := &engineFlags{}
	flag.IntVar(&f.memoryMB, "memory-limit-mb", 2048, "refuse new work when the live heap exceeds this")
	flag.StringVar(&f.registry, "registry", "", "CUE_REGISTRY for loads that do not name one")
	flag.StringVar(&f.cacheDir, "cache-dir", "", "CUE_CACHE_DIR for fetched modules")
	flag.StringVar(&f.catalogDir, "catalog-dir", "", "directory of the built-in opmodel.dev catalog modules")
	return f
}

func newEngine(flavour string, transport http.RoundTripper, flags *engineFlags) *engine {
	ceiling := uint64(flags.memoryMB) << 20
	// Let the GC work harder as the heap nears the ceiling before we start refusing work.
	debug.SetMemoryLimit(int64(ceiling))
	return &engine{
		ctx:             cuecontext.New(),
		handles:         newHandleTable(),
		flavour:         flavour,
		transport:       transport,
		memoryCeiling:   ceiling,
		defaultRegistry: flags.registry,
		cacheDir:        flags.cacheDir,

		wasmRegistries: map[string]*extractingRegistry{},
		catalog:        newBuiltinCatalog(flags.catalogDir),
	}
}

type methodFunc func(e *engine, params json.RawMessage) (any, error)

var methods = map[string]methodFunc{}

// methodsExemptFromMemoryCeiling still run when the heap is over the ceiling, so a client
// can find out what is wrong and free memory.
var methodsExemptFromMemoryCeiling = map[string]bool{"ping": true, "version": true, "release": true}

// handleLine decodes one request and always produces exactly one response.
func (e *engine) handleLine(line []byte) []byte {
	var req request
	var resp response
	if err := json.Unmarshal(line, &req); err != nil {
		resp = response{ID: req.ID, Error: &responseError{Code: codeInvalidRequest, Message: "malformed request: " + err.Error()}}
	} else {
		resp = e.handle(req)
	}
	out, err := json.Marshal(resp)
	if err != nil {
		out, _ = json.Marshal(response{ID: req.ID, Error: &responseError{Code: codeInternal, Message: "cannot encode result: " + err.Error()}})
	}
	return out
}

func (e *engine) handle(req request) (resp response) {
	resp.ID = req.ID
	defer func() {
		// CUE should not panic, but if it does the engine must survive and say so.
		if r := recover(); r != nil {
			resp.Result = nil
			resp.Error = &responseError{Code: codeInternal, Message: fmt.Sprintf("panic in %s: %v", req.Method, r)}
		}
	}()
	if req.V != protocolVersion {
		resp.Error = &responseError{Code: codeInvalidRequest, Message: fmt.Sprintf("protocol version %d not supported (engine speaks %d)", req.V, protocolVersion)}
		return resp
	}
	fn, ok := methods[req.Method]
	if !ok {
		resp.Error = &responseError{Code: codeUnknownMethod, Message: "unknown method " + req.Method}
		return resp
	}
	if !methodsExemptFromMemoryCeiling[req.Method] && e.overMemoryCeiling() {
		resp.Error = &responseError{Code: codeMemoryLimit, Message: fmt.Sprintf("engine heap is over its %d MiB ceiling; release handles or restart the engine", e.memoryCeiling>>20)}
		return resp
	}
	result, err := fn(e, req.Params)
	if err != nil {
		resp.Error = toResponseError(err)
		return resp
	}
	resp.Result = result
	return resp
}

func toResponseError(err error) *responseError {
	if ee, ok := err.(*engineError); ok {
		return &responseError{Code: ee.code, Message: ee.msg, Errors: ee.issues}
	}
	return &responseError{Code: codeInternal, Message: err.Error()}
}

func liveHeapBytes() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}

func (e *engine) overMemoryCeiling() bool {
	if liveHeapBytes() < e.memoryCeiling {
		return false
	}
	runtime.GC() // the metric counts garbage too; only refuse if live data is really that big
	return liveHeapBytes() >= e.memoryCeiling
}
