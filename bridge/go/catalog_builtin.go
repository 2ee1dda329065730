package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"cuelang.org/go/mod/modfile"
	"cuelang.org/go/mod/module"
)

func init() {
	methods["catalog"] = catalogInfo
}

// builtinCatalog is the `opmodel.dev/...@v0` catalog that ships inside the package (one CUE
// module per subdirectory of -catalog-dir, each with its cue.mod/module.cue). The engine serves
// these modules straight from those files, so a user needs neither a registry nor a network to
// load a module written against the catalog.
//
// Versions. Users pin catalog versions in their cue.mod/module.cue: upstream's (v0.1.21, v0.2.15)
// or ours (v0.1.0). Every v0 version of a built-in module resolves to the shipped content, so
// all of those load unchanged and minimal version selection never has to pick between two
// contents. The content itself is identified by a digest of every file (contentVersion, e.g.
// v0.1.0-builtin-3fa2c9d01b7e), which is what ModuleVersions reports, what `-v` shows and what
// any cache above the engine must key on. The files are never copied into CUE's module cache or
// the wasm engine's extract directory, so no cache can serve an older copy: a changed catalog
// is a new digest, read afresh by the next engine.
//
// The scan and digest run once per engine, on the first load that needs an opmodel.dev module
// (a few dozen small files; they are read by the load that follows anyway).
type builtinCatalog struct {
	dir string

	once    sync.Once
	err     error
	modules map[string]*builtinModule // by module path with major version, e.g. opmodel.dev/core@v0
	digest  string
	version string
}

type builtinModule struct {
	dir     string
	modData []byte
	modFile *modfile.File
}

func newBuiltinCatalog(dir string) *builtinCatalog {
	if dir == "" {
		return nil
	}
	return &builtinCatalog{dir: dir}
}

// ensure scans the catalog once: its modules, their module files and the content digest.
func (c *builtinCatalog) ensure() error {
	c.once.Do(func() { c.err = c.scan() })
	return c.err
}

func (c *builtinCatalog) scan() error {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return fmt.Errorf("the built-in catalog is missing at %s: %w", c.dir, err)
	}
	c.modules = map[string]*builtinModule{}
	hash := sha256.New()
	for _, entry := range entries {
		if !entry.IsDir() {
			continue
		}
		dir := filepath.Join(c.dir, entry.Name())
		data, err := os.ReadFile(filepath.Join(dir, "cue.mod", "module.cue"))
		if err != nil {
			continue // not a module (a README directory, say)
		}
		mf, err := modfile.Parse(data, filepath.Join(dir, "cue.mod", "module.cue"))
		if err != nil {
			return fmt.Errorf("the built-in catalog module %s is broken: %w", entry.Name(), err)
		}
		c.modules[mf.QualifiedModule()] = &builtinModule{dir: dir, modData: data, modFile: mf}
		if err := hashTree(hash, c.dir, dir); err != nil {
			return err
		}
	}
	if len(c.modules) == 0 {
		return fmt.Errorf("the built-in catalog at %s holds no CUE modules", c.dir)
	}
	c.digest = hex.EncodeToString(hash.Sum(nil))
	c.version = c.baseVersion() + "-builtin-" + c.digest[:12]
	return nil
}

// hashTree feeds every .cue file below dir into the digest, with its path relative to root, in
// lexical order, so the digest changes exactly when a file's name or content does.
func hashTree(hash interface{ Write([]byte) (int, error) }, root, dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".cue") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(hash, "%s\x00%d\x00", filepath.ToSlash(rel), len(data))
		_, err = hash.Write(data)
		return err
	})
}

// baseVersion is the highest version the catalog modules pin each other to (v0.1.0 today), so
// the content version sorts with the versions users already write.
func (c *builtinCatalog) baseVersion() string {
	base := module.MustNewVersion("opmodel.dev/core@v0", "v0.0.0")
	for _, m := range c.modules {
		for _, dep := range m.modFile.DepVersions() {
			if _, ok := c.modules[dep.Path()]; !ok {
				continue
			}
			if v, err := module.NewVersion(base.Path(), dep.Version()); err == nil && v.Compare(base) > 0 {
				base = v
			}
		}
	}
	return base.Version()
}

// module is the built-in module for a module path (with its major version), or nil.
func (c *builtinCatalog) module(path string) *builtinModule {
	if c == nil || c.ensure() != nil {
		return nil
	}
	return c.modules[path]
}

// paths lists the built-in module paths in order.
func (c *builtinCatalog) paths() []string {
	out := make([]string, 0, len(c.modules))
	for path := range c.modules {
		out = append(out, path)
	}
	slices.Sort(out)
	return out
}

// catalogParams asks how a load with this CUE_REGISTRY would resolve the catalog.
type catalogParams struct {
	Registry string `json:"registry"`
}

// catalogInfo reports the built-in catalog (where, which content, which modules) and, for the
// given registry setting, which of its modules a configured registry serves instead. `-v` shows it.
func catalogInfo(e *engine, raw json.RawMessage) (any, error) {
	var p catalogParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if e.catalog == nil {
		return map[string]any{"enabled": false, "modules": []any{}}, nil
	}
	if err := e.catalog.ensure(); err != nil {
		return nil, failf(codeLoad, "%v", err)
	}
	routes, err := e.explicitRoutes(p.Registry)
	if err != nil {
		return nil, failf(codeLoad, "%v", err)
	}
	modules := []map[string]any{}
	for _, path := range e.catalog.paths() {
		served := "builtin"
		if routes.covers(path) {
			served = "registry"
		}
		modules = append(modules, map[string]any{"path": path, "servedBy": served})
	}
	return map[string]any{
		"enabled": true,
		"dir":     e.catalog.dir,
		"digest":  e.catalog.digest,
		"version": e.catalog.version,
		"modules": modules,
	}, nil
}

// moduleVersionOf is a module.Version for a built-in module at the catalog's content version.
func (c *builtinCatalog) moduleVersionOf(path string) (module.Version, error) {
	return module.NewVersion(path, c.version)
}
