package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/load"
	"cuelang.org/go/mod/modconfig"
	"cuelang.org/go/mod/modfile"
	"cuelang.org/go/mod/module"
)

func init() {
	methods["load"] = loadModule
}

type loadParams struct {
	// Dir is the package directory (inside a module, or a module root).
	Dir     string `json:"dir"`
	Package string `json:"package"`
	// Overlay maps file paths (absolute, or relative to Dir) to contents; under wasm this is
	// how files usually arrive.
	Overlay map[string]string `json:"overlay"`
	// Registry overrides CUE_REGISTRY for this load.
	Registry string `json:"registry"`
}

func loadModule(e *engine, raw json.RawMessage) (any, error) {
	var p loadParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	inst, dir, err := e.loadInstance(p, nil)
	if err != nil {
		return nil, err
	}
	// As with compile, evaluation errors stay in the value for validate and export to report.
	v := e.ctx.BuildInstance(inst)
	return map[string]any{"handle": e.handles.add(v, handleEntry{baseDir: dir, pkg: inst.ID()}), "module": inst.Module, "importPath": inst.ImportPath, "files": buildFileNames(inst, dir)}, nil
}

// loadInstance resolves and parses the package at p.Dir (fetching dependencies), without
// evaluating it. extra overlays files on top of p.Overlay (keyed by absolute path).
func (e *engine) loadInstance(p loadParams, extra map[string]load.Source) (*build.Instance, string, error) {
	if p.Dir == "" {
		return nil, "", failf(codeInvalidRequest, "load needs dir")
	}
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return nil, "", failf(codeInvalidRequest, "bad dir %q: %v", p.Dir, err)
	}
	if len(p.Overlay) == 0 {
		// cue/load would only say `cannot find package "."`; name the directory instead.
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return nil, "", failf(codeLoad, "module directory %s does not exist", dir)
		}
	}
	cfg := &load.Config{Dir: dir, Registry: e.registry(p.Registry)}
	if len(p.Overlay) > 0 || len(extra) > 0 {
		cfg.Overlay = map[string]load.Source{}
		for name, contents := range p.Overlay {
			if !filepath.IsAbs(name) {
				name = filepath.Join(dir, name)
			}
			cfg.Overlay[name] = load.FromString(contents)
		}
		for name, source := range extra {
			cfg.Overlay[name] = source
		}
	}
	arg := "."
	if p.Package != "" {
		arg = ".:" + p.Package
	}
	insts := load.Instances([]string{arg}, cfg)
	if len(insts) != 1 {
		return nil, "", failf(codeLoad, "expected one instance, got %d", len(insts))
	}
	inst := insts[0]
	if inst.Err != nil {
		return nil, "", cueFailure(codeLoad, inst.Err, dir)
	}
	return inst, dir, nil
}

func buildFileNames(inst *build.Instance, dir string) []string {
	files := []string{}
	for _, f := range inst.BuildFiles {
		files = append(files, relativeToDir(f.Filename, dir))
	}
	return files
}

func relativeToDir(file, dir string) string {
	if rel, err := filepath.Rel(dir, file); err == nil {
		return filepath.ToSlash(rel)
	}
	return file
}

// registry is lazy so that loads without dependencies never need a registry or cache dir.
// The cue/load default would read CUE_REGISTRY too, but it would not use our transport.
// The built-in catalog comes first (catalog_registry.go explains the precedence).
func (e *engine) registry(cueRegistry string) modconfig.Registry {
	next := e.configuredRegistry(cueRegistry)
	if e.catalog == nil {
		return next
	}
	routes, err := e.explicitRoutes(cueRegistry)
	if err != nil {
		return failingRegistry{err}
	}
	return &catalogFirstRegistry{catalog: e.catalog, explicit: routes, next: next}
}

// configuredRegistry is the registry CUE_REGISTRY (or the engine's default) describes.
func (e *engine) configuredRegistry(cueRegistry string) modconfig.Registry {
	if cueRegistry == "" {
		cueRegistry = e.defaultRegistry
	}
	var env []string // nil: modconfig reads the process environment
	if e.cacheDir != "" {
		env = append(os.Environ(), "CUE_CACHE_DIR="+e.cacheDir)
	}
	cfg := &modconfig.Config{Transport: e.transport, CUERegistry: cueRegistry, Env: env, ClientType: "opm-cue-engine"}
	if e.flavour == "wasm" {
		return e.wasmRegistry(cfg)
	}
	return &modconfig.LazyRegistry{New: func() (modconfig.CachedRegistry, error) {
		return modconfig.NewRegistry(cfg)
	}}
}

// wasmRegistry keeps one registry per CUE_REGISTRY value. Modules are unpacked under the cache
// directory (-cache-dir, else $CUE_CACHE_DIR, else the user cache). A configuration error is
// reported by the load that needs the registry.
func (e *engine) wasmRegistry(cfg *modconfig.Config) modconfig.Registry {
	if r, ok := e.wasmRegistries[cfg.CUERegistry]; ok {
		return r
	}
	root := e.cacheDir
	if root == "" {
		root = os.Getenv("CUE_CACHE_DIR")
	}
	if root == "" {
		userCache, err := os.UserCacheDir()
		if err != nil {
			return failingRegistry{fmt.Errorf("the wasm engine needs a cache directory to fetch modules: %w", err)}
		}
		root = filepath.Join(userCache, "cue")
	}
	r, err := newExtractingRegistry(cfg, filepath.Join(root, "opm-wasm", "extract"))
	if err != nil {
		return failingRegistry{err}
	}
	e.wasmRegistries[cfg.CUERegistry] = r
	return r
}

type failingRegistry struct{ err error }

func (f failingRegistry) ModFile(context.Context, module.Version) (*modfile.File, error) {
	return nil, f.err
}
func (f failingRegistry) Fetch(context.Context, module.Version) (module.SourceLoc, error) {
	return module.SourceLoc{}, f.err
}
func (f failingRegistry) ModuleVersions(context.Context, string) ([]string, error) {
	return nil, f.err
}
