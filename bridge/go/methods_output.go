package main

import (
	"bytes"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/ast/astutil"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/token"
	"encoding/json"

	"cuelang.org/go/cue"
	"cuelang.org/go/encoding/yaml"
)

func init() {
	methods["eval"] = func(e *engine, raw json.RawMessage) (any, error) { return output(e, raw, false) }
	methods["export"] = func(e *engine, raw json.RawMessage) (any, error) { return output(e, raw, true) }
	methods["fields"] = fields
}

type outputParams struct {
	valueParams
	// Format is "json" (default for export), "cue" (default for eval) or "yaml".
	Format      string `json:"format"`
	Hidden      bool   `json:"hidden"`
	Definitions bool   `json:"definitions"`
	Optional    bool   `json:"optional"`
	Docs        bool   `json:"docs"`
}

// output serves eval (any value, CUE source by default) and export (concrete data only,
// JSON by default; every non-concrete field is reported with its position).
func output(e *engine, raw json.RawMessage, concrete bool) (any, error) {
	var p outputParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	v, entry, err := e.resolve(p.valueParams)
	if err != nil {
		return nil, err
	}
	if p.Format == "" {
		p.Format = map[bool]string{true: "json", false: "cue"}[concrete]
	}
	if concrete || p.Format != "cue" {
		if err := v.Validate(cue.Concrete(true), cue.Final()); err != nil {
			return nil, valueFailure(err, entry)
		}
	} else if err := v.Validate(); err != nil {
		return nil, valueFailure(err, entry)
	}
	switch p.Format {
	case "json":
		var buf bytes.Buffer
		if err := writeJSON(&buf, v, p); err != nil {
			return nil, valueFailure(err, entry)
		}
		return map[string]json.RawMessage{"value": buf.Bytes()}, nil
	case "yaml":
		out, err := yaml.Encode(v)
		if err != nil {
			return nil, valueFailure(err, entry)
		}
		return map[string]string{"yaml": string(out)}, nil
	case "cue":
		opts := []cue.Option{cue.Hidden(p.Hidden), cue.Definitions(p.Definitions || !concrete), cue.Optional(p.Optional), cue.Docs(p.Docs), cue.Attributes(p.Docs)}
		switch {
		case concrete:
			opts = append(opts, cue.Concrete(true), cue.Final())
		case endsAtDefinition(p.Path, entry.pkg):
			// A definition on its own prints as a _#def wrapper that keeps it closed;
			// Raw prints its body, which is what someone asking for the schema wants.
			opts = append(opts, cue.Raw())
		}
		src, err := formatAsFile(v.Syntax(opts...))
		if err != nil {
			return nil, err
		}
		return map[string]string{"source": src}, nil
	}
	return nil, failf(codeInvalidRequest, "unknown format %q (json, yaml or cue)", p.Format)
}

// writeJSON is Value.MarshalJSON, except that it can also emit hidden fields and definitions
// (under their CUE names, "_x" and "#X"), which the caller may ask for to walk schemas.
func writeJSON(buf *bytes.Buffer, v cue.Value, p outputParams) error {
	if !p.Hidden && !p.Definitions {
		b, err := v.MarshalJSON()
		buf.Write(b)
		return err
	}
	v, _ = v.Default()
	switch v.IncompleteKind() {
	case cue.StructKind:
		it, err := v.Fields(cue.Hidden(p.Hidden), cue.Definitions(p.Definitions))
		if err != nil {
			return err
		}
		buf.WriteByte('{')
		for first := true; it.Next(); first = false {
			if !first {
				buf.WriteByte(',')
			}
			key, _ := json.Marshal(it.Selector().String())
			buf.Write(key)
			buf.WriteByte(':')
			if err := writeJSON(buf, it.Value(), p); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	case cue.ListKind:
		it, err := v.List()
		if err != nil {
			return err
		}
		buf.WriteByte('[')
		for first := true; it.Next(); first = false {
			if !first {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, it.Value(), p); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
		return nil
	}
	b, err := v.MarshalJSON()
	buf.Write(b)
	return err
}

type fieldsParams struct {
	valueParams
	// All nil means include everything: callers walking #components etc. need definitions.
	Definitions *bool `json:"definitions"`
	Hidden      *bool `json:"hidden"`
	Optional    *bool `json:"optional"`
}

type fieldInfo struct {
	Name        string `json:"name"`
	Selector    string `json:"selector"`
	Kind        string `json:"kind"`
	Concrete    bool   `json:"concrete"`
	Definition  bool   `json:"definition"`
	Hidden      bool   `json:"hidden"`
	Optional    bool   `json:"optional"`
	Required    bool   `json:"required"`
	HasDefault  bool   `json:"hasDefault"`
	IsReference bool   `json:"isReference"`
}

func orTrue(b *bool) bool { return b == nil || *b }

func fields(e *engine, raw json.RawMessage) (any, error) {
	var p fieldsParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	v, entry, err := e.resolve(p.valueParams)
	if err != nil {
		return nil, err
	}
	if v.IncompleteKind() != cue.StructKind {
		return nil, failf(codeInvalidRequest, "value at %q is %s, not a struct", p.Path, v.IncompleteKind())
	}
	// Always iterate with Optional(true): without it CUE lists a missing required field as a
	// regular field whose value is an error. Optional and required ones are filtered below.
	it, err := v.Fields(cue.Definitions(orTrue(p.Definitions)), cue.Hidden(orTrue(p.Hidden)), cue.Optional(true))
	if err != nil {
		return nil, valueFailure(err, entry)
	}
	out := []fieldInfo{}
	for it.Next() {
		sel := it.Selector()
		fv := it.Value()
		if !orTrue(p.Optional) && (sel.ConstraintType() == cue.OptionalConstraint || sel.ConstraintType() == cue.RequiredConstraint) {
			continue
		}
		_, hasDefault := fv.Default()
		_, refPath := fv.ReferencePath()
		name := sel.String()
		if sel.LabelType() == cue.StringLabel {
			name = sel.Unquoted()
		}
		out = append(out, fieldInfo{
			Name:        name,
			Selector:    sel.String(),
			Kind:        fv.IncompleteKind().String(),
			Concrete:    fv.IsConcrete(),
			Definition:  sel.IsDefinition(),
			Hidden:      sel.PkgPath() != "" || sel.LabelType() == cue.HiddenLabel || sel.LabelType() == cue.HiddenDefinitionLabel,
			Optional:    sel.ConstraintType() == cue.OptionalConstraint,
			Required:    sel.ConstraintType() == cue.RequiredConstraint,
			HasDefault:  hasDefault,
			IsReference: len(refPath.Selectors()) > 0,
		})
	}
	return map[string]any{"fields": out}, nil
}

// formatAsFile prints a struct as file contents (no outer braces), like the cue command does.
func formatAsFile(node ast.Node) (string, error) {
	if expr, ok := node.(ast.Expr); ok {
		if f, err := astutil.ToFile(expr); err == nil {
			// One declaration per line, whatever layout the expression had.
			for _, decl := range f.Decls {
				ast.SetRelPos(decl, token.Newline)
			}
			node = f
		}
	}
	src, err := format.Node(node)
	if err != nil {
		return "", failf(codeInternal, "format: %v", err)
	}
	return string(src), nil
}

func endsAtDefinition(path, pkg string) bool {
	p, err := parsePath(path, pkg)
	if err != nil {
		return false
	}
	sels := p.Selectors()
	return len(sels) > 0 && sels[len(sels)-1].IsDefinition()
}
