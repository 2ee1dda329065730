package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/mod/modconfig"
	"cuelang.org/go/mod/modfile"
	"cuelang.org/go/mod/module"
)

// catalogFirstRegistry is the registry every load uses: the built-in catalog's modules come
// from the shipped files, everything else from the configured registry (CUE_REGISTRY syntax).
//
// Precedence, per module path:
//  1. a registry the user routes the module to explicitly, by a prefix entry such as
//     `opmodel.dev=localhost:5000` (in --registry, OPM_REGISTRY, the config's registry or
//     CUE_REGISTRY, or a file:/inline: registry configuration's moduleRegistries);
//  2. the built-in catalog, for any v0 version of a module it ships;
//  3. the configured registry (its catch-all entry, else CUE's default registry).
//
// A catch-all registry never displaces the built-in catalog: `registry.cue.works` does not
// serve opmodel.dev, and a company registry should not silently replace what ships with opm.
// The configured registry is only created when a module the catalog lacks is needed, so a
// module that imports nothing else loads with no registry, network or cache directory.
type catalogFirstRegistry struct {
	catalog  *builtinCatalog
	explicit registryRoutes
	next     modconfig.Registry
}

var _ modconfig.Registry = (*catalogFirstRegistry)(nil)

func (r *catalogFirstRegistry) builtin(mv module.Version) *builtinModule {
	path := mv.Path()
	if r.explicit.covers(path) {
		return nil
	}
	return r.catalog.module(path)
}

func (r *catalogFirstRegistry) ModFile(ctx context.Context, mv module.Version) (*modfile.File, error) {
	if m := r.builtin(mv); m != nil {
		return m.modFile, nil
	}
	return r.next.ModFile(ctx, mv)
}

func (r *catalogFirstRegistry) Fetch(ctx context.Context, mv module.Version) (module.SourceLoc, error) {
	if m := r.builtin(mv); m != nil {
		return module.SourceLoc{FS: module.OSDirFS(m.dir), Dir: "."}, nil
	}
	loc, err := r.next.Fetch(ctx, mv)
	if err != nil && strings.HasPrefix(mv.Path(), "opmodel.dev/") && !r.explicit.covers(mv.Path()) && r.catalog != nil {
		return loc, fmt.Errorf("%s is not in the built-in catalog (%s) and the registry cannot serve it: %w",
			mv.Path(), strings.Join(r.catalog.paths(), ", "), err)
	}
	return loc, err
}

func (r *catalogFirstRegistry) ModuleVersions(ctx context.Context, mpath string) ([]string, error) {
	if !r.explicit.covers(mpath) && r.catalog.module(mpath) != nil {
		return []string{r.catalog.version}, nil
	}
	return r.next.ModuleVersions(ctx, mpath)
}

// registryRoutes are the module path prefixes a registry setting routes explicitly.
type registryRoutes []string

// covers reports whether a module path (with or without its major version) falls under one of
// the prefixes; like CUE's own routing, a prefix matches whole path elements only.
func (routes registryRoutes) covers(path string) bool {
	path, _, _ = strings.Cut(path, "@")
	for _, prefix := range routes {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}

// explicitRoutes reads the prefixes a CUE_REGISTRY value maps to a registry ("" means the
// engine's default, then $CUE_REGISTRY). Entries mapped to `none` route nowhere and do not count.
func (e *engine) explicitRoutes(cueRegistry string) (registryRoutes, error) {
	if cueRegistry == "" {
		cueRegistry = e.defaultRegistry
	}
	if cueRegistry == "" {
		cueRegistry = os.Getenv("CUE_REGISTRY")
	}
	kind, rest, _ := strings.Cut(cueRegistry, ":")
	switch kind {
	case "file":
		data, err := os.ReadFile(rest)
		if err != nil {
			return nil, fmt.Errorf("cannot read the registry configuration %s: %w", rest, err)
		}
		return e.configRoutes(data, rest)
	case "inline":
		return e.configRoutes([]byte(rest), "inline")
	case "simple":
		cueRegistry = rest
	}
	var routes registryRoutes
	for _, part := range strings.Split(cueRegistry, ",") {
		prefix, target, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && prefix != "" && strings.TrimSpace(target) != "none" {
			routes = append(routes, prefix)
		}
	}
	return routes, nil
}

// configRoutes reads the keys of a registry configuration's moduleRegistries (the file: and
// inline: forms of CUE_REGISTRY, see `cue help registryconfig`).
func (e *engine) configRoutes(data []byte, filename string) (registryRoutes, error) {
	v := e.ctx.CompileBytes(data, cue.Filename(filename))
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("bad registry configuration %s: %w", filename, err)
	}
	var routes registryRoutes
	iter, err := v.LookupPath(cue.ParsePath("moduleRegistries")).Fields()
	if err != nil {
		return nil, nil // no moduleRegistries: only a default registry
	}
	for iter.Next() {
		target := iter.Value()
		if s, err := target.LookupPath(cue.ParsePath("registry")).String(); err == nil && s == "none" {
			continue
		}
		routes = append(routes, iter.Selector().Unquoted())
	}
	return routes, nil
}
