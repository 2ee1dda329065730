package main

import (
	"encoding/json"
	"runtime"
	"runtime/debug"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
)

func init() {
	methods["ping"] = ping
	methods["version"] = version
	methods["compile"] = compile
	methods["release"] = release
	methods["lookup"] = lookup
}

func ping(e *engine, _ json.RawMessage) (any, error) {
	return map[string]any{"pong": true, "handles": len(e.handles.entries), "heapBytes": liveHeapBytes()}, nil
}

func version(e *engine, _ json.RawMessage) (any, error) {
	cueVersion := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "cuelang.org/go" {
				cueVersion = dep.Version
			}
		}
	}
	return map[string]any{"protocol": protocolVersion, "cue": cueVersion, "go": runtime.Version(), "engine": e.flavour}, nil
}

// sourceParams is CUE source text with the file name its positions should carry.
type sourceParams struct {
	Source   string `json:"source"`
	Filename string `json:"filename"`
}

// parse reads the source with its comments; a syntax error is a CUE failure naming the file.
func (p sourceParams) parse() (*ast.File, error) {
	filename := p.Filename
	if filename == "" {
		filename = "input.cue"
	}
	f, err := parser.ParseFile(filename, p.Source, parser.ParseComments)
	if err != nil {
		return nil, cueFailure(codeCue, err, "")
	}
	return f, nil
}

func compile(e *engine, raw json.RawMessage) (any, error) {
	var p sourceParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	// Only syntax errors fail here. Evaluation errors (conflicts, closedness) stay in the value,
	// so that validate can report all of them and export names each one.
	f, err := p.parse()
	if err != nil {
		return nil, err
	}
	v := e.ctx.BuildFile(f)
	return handleResult{Handle: e.handles.add(v, handleEntry{pkg: "_"})}, nil
}

type handleResult struct {
	Handle int64 `json:"handle"`
}

type releaseParams struct {
	Handles []int64 `json:"handles"`
}

func release(e *engine, raw json.RawMessage) (any, error) {
	var p releaseParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	return map[string]int{"released": e.handles.release(p.Handles)}, nil
}

// valueParams address a value: a handle and an optional CUE path inside it.
type valueParams struct {
	Handle int64  `json:"handle"`
	Path   string `json:"path"`
}

// resolve finds the addressed value; a path that does not exist is NotFound.
func (e *engine) resolve(p valueParams) (cue.Value, handleEntry, error) {
	entry, err := e.handles.get(p.Handle)
	if err != nil {
		return cue.Value{}, entry, err
	}
	if p.Path == "" {
		return entry.value, entry, nil
	}
	path, err := parsePath(p.Path, entry.pkg)
	if err != nil {
		return cue.Value{}, entry, err
	}
	v := entry.value.LookupPath(path)
	if !v.Exists() {
		return cue.Value{}, entry, failf(codeNotFound, "path %q not found", p.Path)
	}
	return v, entry, nil
}

func lookup(e *engine, raw json.RawMessage) (any, error) {
	var p valueParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	v, entry, err := e.resolve(p)
	if err != nil {
		if ee, ok := err.(*engineError); ok && ee.code == codeNotFound {
			return map[string]any{"exists": false}, nil
		}
		return nil, err
	}
	return map[string]any{
		"exists": true,
		"handle": e.handles.add(v, entry),
		"kind":   v.IncompleteKind().String(),
	}, nil
}
