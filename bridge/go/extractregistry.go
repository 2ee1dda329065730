package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"cuelang.org/go/mod/modconfig"
	"cuelang.org/go/mod/modfile"
	"cuelang.org/go/mod/modregistry"
	"cuelang.org/go/mod/module"
)

// extractingRegistry fetches modules from OCI registries and unpacks each one into
// <root>/<module>@<version>, which it reuses from then on (so the directory can also be filled
// in advance). The wasm build uses it because CUE's own module cache locks files, which GOOS=js
// cannot do ("operation not supported"); cue/load then reads the unpacked files like any other.
type extractingRegistry struct {
	client *modregistry.Client
	root   string

	mu       sync.Mutex
	modFiles map[module.Version]*modfile.File
}

var _ modconfig.Registry = (*extractingRegistry)(nil)

func newExtractingRegistry(cfg *modconfig.Config, root string) (*extractingRegistry, error) {
	resolver, err := modconfig.NewResolver(cfg)
	if err != nil {
		return nil, err
	}
	return &extractingRegistry{
		client:   modregistry.NewClientWithResolver(resolver),
		root:     root,
		modFiles: map[module.Version]*modfile.File{},
	}, nil
}

func (r *extractingRegistry) dir(mv module.Version) string {
	return filepath.Join(r.root, filepath.FromSlash(mv.String()))
}

func (r *extractingRegistry) ModFile(ctx context.Context, mv module.Version) (*modfile.File, error) {
	r.mu.Lock()
	f, ok := r.modFiles[mv]
	r.mu.Unlock()
	if ok {
		return f, nil
	}
	data, err := os.ReadFile(filepath.Join(r.dir(mv), "cue.mod", "module.cue"))
	if err != nil {
		m, err := r.client.GetModule(ctx, mv)
		if err != nil {
			return nil, err
		}
		if data, err = m.ModuleFile(ctx); err != nil {
			return nil, fmt.Errorf("cannot get module file for %v: %w", mv, err)
		}
	}
	if f, err = modfile.Parse(data, mv.String()); err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.modFiles[mv] = f
	r.mu.Unlock()
	return f, nil
}

func (r *extractingRegistry) Fetch(ctx context.Context, mv module.Version) (module.SourceLoc, error) {
	dir := r.dir(mv)
	if _, err := os.Stat(filepath.Join(dir, "cue.mod", "module.cue")); err == nil {
		return module.SourceLoc{FS: module.OSDirFS(dir), Dir: "."}, nil
	}
	m, err := r.client.GetModule(ctx, mv)
	if err != nil {
		return module.SourceLoc{}, err
	}
	rc, err := m.GetZip(ctx)
	if err != nil {
		return module.SourceLoc{}, err
	}
	data, err := io.ReadAll(rc)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return module.SourceLoc{}, fmt.Errorf("cannot read zip of %v: %w", mv, err)
	}
	if err := unzipInto(data, dir); err != nil {
		return module.SourceLoc{}, fmt.Errorf("cannot unpack %v: %w", mv, err)
	}
	return module.SourceLoc{FS: module.OSDirFS(dir), Dir: "."}, nil
}

func (r *extractingRegistry) ModuleVersions(ctx context.Context, mpath string) ([]string, error) {
	return r.client.ModuleVersions(ctx, mpath)
}

// unzipInto unpacks into a temporary sibling and renames it into place, so a half-written
// module is never mistaken for a complete one.
func unzipInto(data []byte, dir string) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, f := range z.File {
		name := filepath.FromSlash(f.Name)
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if !filepath.IsLocal(name) {
			return fmt.Errorf("zip entry %q escapes the module", f.Name)
		}
		target := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		in, err := f.Open()
		if err != nil {
			return err
		}
		contents, err := io.ReadAll(in)
		in.Close()
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, contents, 0o644); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "cue.mod", "module.cue")); statErr == nil {
			return nil // another engine unpacked it first
		}
		return err
	}
	return nil
}
