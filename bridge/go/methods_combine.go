package main

import (
	"encoding/json"

	"cuelang.org/go/cue"
	cuejson "cuelang.org/go/encoding/json"
)

func init() {
	methods["fill"] = fill
	methods["unify"] = unify
	methods["validate"] = validate
}

type fillParams struct {
	Handle int64  `json:"handle"`
	Path   string `json:"path"`
	// Exactly one of JSON (any JSON value) and CUE (source text) is given.
	JSON json.RawMessage `json:"json"`
	CUE  *string         `json:"cue"`
}

// fill returns a new handle; the original value is left as it was (CUE values are immutable).
func fill(e *engine, raw json.RawMessage) (any, error) {
	var p fillParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	entry, err := e.handles.get(p.Handle)
	if err != nil {
		return nil, err
	}
	var with cue.Value
	switch {
	case p.CUE != nil && len(p.JSON) > 0:
		return nil, failf(codeInvalidRequest, "fill takes json or cue, not both")
	case p.CUE != nil:
		with = e.ctx.CompileString(*p.CUE, cue.Filename("fill.cue"))
	case len(p.JSON) > 0:
		if with, err = jsonValue(e, p.JSON); err != nil {
			return nil, err
		}
	default:
		return nil, failf(codeInvalidRequest, "fill needs json or cue")
	}
	if err := with.Err(); err != nil {
		return nil, valueFailure(err, entry)
	}
	path, err := parsePath(p.Path, entry.pkg)
	if err != nil {
		return nil, err
	}
	filled := entry.value.FillPath(path, with)
	return handleResult{Handle: e.handles.add(filled, entry)}, nil
}

type unifyParams struct {
	A int64 `json:"a"`
	B int64 `json:"b"`
}

func unify(e *engine, raw json.RawMessage) (any, error) {
	var p unifyParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	a, err := e.handles.get(p.A)
	if err != nil {
		return nil, err
	}
	b, err := e.handles.get(p.B)
	if err != nil {
		return nil, err
	}
	return handleResult{Handle: e.handles.add(a.value.Unify(b.value), a)}, nil
}

type validateParams struct {
	valueParams
	Concrete bool `json:"concrete"`
	// Definitions and Hidden also validate those fields (off by default, like cue vet).
	Definitions bool `json:"definitions"`
	Hidden      bool `json:"hidden"`
}

// validate never fails for invalid CUE: it returns every problem found so callers can
// report them all at once. Only a bad request or handle is an error.
func validate(e *engine, raw json.RawMessage) (any, error) {
	var p validateParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	v, entry, err := e.resolve(p.valueParams)
	if err != nil {
		return nil, err
	}
	opts := []cue.Option{cue.Definitions(p.Definitions), cue.Hidden(p.Hidden)}
	if p.Concrete {
		opts = append(opts, cue.Concrete(true), cue.Final())
	}
	if err := v.Validate(opts...); err != nil {
		return map[string]any{"ok": false, "errors": withFallbackPositions(cueIssues(err, entry.baseDir), entry.value, entry.baseDir)}, nil
	}
	return map[string]any{"ok": true, "errors": []issue{}}, nil
}

// jsonValue builds a CUE value from JSON; its positions name the file "fill.json".
func jsonValue(e *engine, raw json.RawMessage) (cue.Value, error) {
	expr, err := cuejson.Extract("fill.json", raw)
	if err != nil {
		return cue.Value{}, cueFailure(codeCue, err, "")
	}
	return e.ctx.BuildExpr(expr), nil
}
