package main

import (
	"encoding/json"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/format"
	cuejson "cuelang.org/go/encoding/json"
	"cuelang.org/go/encoding/jsonschema"
	"cuelang.org/go/encoding/openapi"
)

func init() {
	methods["format"] = formatSource
	methods["fromJSON"] = fromJSON
	methods["toJSONSchema"] = toJSONSchema
	methods["toOpenAPI"] = toOpenAPI
	methods["fromJSONSchema"] = fromJSONSchema
}

func formatSource(_ *engine, raw json.RawMessage) (any, error) {
	var p sourceParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	// Parse first (rather than format.Source) so syntax errors name the file.
	f, err := p.parse()
	if err != nil {
		return nil, err
	}
	out, err := format.Node(f)
	if err != nil {
		return nil, failf(codeInternal, "format: %v", err)
	}
	return map[string]string{"source": string(out)}, nil
}

type jsonTextParams struct {
	// JSON is the document as text, so that syntax errors get positions in it.
	JSON     string `json:"json"`
	Filename string `json:"filename"`
}

func fromJSON(_ *engine, raw json.RawMessage) (any, error) {
	var p jsonTextParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Filename == "" {
		p.Filename = "input.json"
	}
	expr, err := cuejson.Extract(p.Filename, []byte(p.JSON))
	if err != nil {
		return nil, cueFailure(codeCue, err, "")
	}
	out, err := formatAsFile(expr)
	if err != nil {
		return nil, err
	}
	return map[string]string{"source": out}, nil
}

func toJSONSchema(e *engine, raw json.RawMessage) (any, error) {
	var p valueParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	v, entry, err := e.resolve(p)
	if err != nil {
		return nil, err
	}
	expr, err := jsonschema.Generate(v, nil)
	if err != nil {
		return nil, valueFailure(err, entry)
	}
	out, err := e.ctx.BuildExpr(expr).MarshalJSON()
	if err != nil {
		return nil, valueFailure(err, entry)
	}
	return map[string]json.RawMessage{"schema": out}, nil
}

type openAPIParams struct {
	valueParams
	Title            string `json:"title"`
	Version          string `json:"version"`
	ExpandReferences bool   `json:"expandReferences"`
}

func toOpenAPI(e *engine, raw json.RawMessage) (any, error) {
	var p openAPIParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	v, entry, err := e.resolve(p.valueParams)
	if err != nil {
		return nil, err
	}
	cfg := &openapi.Config{ExpandReferences: p.ExpandReferences}
	if p.Title != "" || p.Version != "" {
		cfg.Info = map[string]string{"title": p.Title, "version": p.Version}
	}
	out, err := openapi.Gen(v, cfg)
	if err != nil {
		return nil, valueFailure(err, entry)
	}
	return map[string]json.RawMessage{"document": out}, nil
}

type fromJSONSchemaParams struct {
	jsonTextParams
	// Root is the JSON path of the schemas inside the document, e.g. "#/components/schemas".
	Root    string `json:"root"`
	Package string `json:"package"`
}

func fromJSONSchema(e *engine, raw json.RawMessage) (any, error) {
	var p fromJSONSchemaParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Filename == "" {
		p.Filename = "schema.json"
	}
	expr, err := cuejson.Extract(p.Filename, []byte(p.JSON))
	if err != nil {
		return nil, cueFailure(codeCue, err, "")
	}
	v := e.ctx.BuildExpr(expr, cue.Filename(p.Filename))
	f, err := jsonschema.Extract(v, &jsonschema.Config{Root: p.Root, PkgName: p.Package})
	if err != nil {
		return nil, cueFailure(codeCue, err, "")
	}
	out, err := format.Node(f)
	if err != nil {
		return nil, failf(codeInternal, "format: %v", err)
	}
	return map[string]string{"source": string(out)}, nil
}
