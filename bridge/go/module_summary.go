package main

// The module summary: components and policies reduced to plain data (bridge/module/summary.ts
// turns it into sdk IR). Definitions are summarised by their metadata, keyed by FQN; CUE has
// already applied the catalog mixins, so a component's spec is final. Problems are collected,
// not returned at the first: one answer names every field that does not evaluate.

import (
	"encoding/json"

	"cuelang.org/go/cue"
)

type summarizer struct {
	entry  handleEntry
	issues []issue
	// discover leaves out the spec of components that require interfaces (see component).
	discover bool
}

// export is v as JSON, or nil after recording why it is not concrete.
func (s *summarizer) export(v cue.Value) json.RawMessage {
	b, err := concreteJSON(v, s.entry)
	if err != nil {
		if ee, ok := err.(*engineError); ok && len(ee.issues) > 0 {
			s.issues = append(s.issues, ee.issues...)
		} else {
			s.issues = append(s.issues, issue{Path: v.Path().String(), Message: err.Error(), Positions: []position{}})
		}
		return nil
	}
	return b
}

func (s *summarizer) each(v cue.Value, f func(label string, v cue.Value)) {
	if !v.Exists() {
		return
	}
	it, err := v.Fields()
	if err != nil {
		s.export(v) // records why the struct does not evaluate
		return
	}
	for it.Next() {
		f(it.Selector().Unquoted(), it.Value())
	}
}

func (s *summarizer) components(v cue.Value) json.RawMessage {
	var out orderedObject
	s.each(v, func(key string, c cue.Value) {
		out = append(out, member{key: key, value: s.component(c)})
	})
	b, _ := json.Marshal(out)
	return b
}

func (s *summarizer) component(c cue.Value) json.RawMessage {
	out := orderedObject{
		{key: "metadata", value: s.export(c.LookupPath(cue.ParsePath("metadata")))},
		{key: "resources", value: s.definitions(c.LookupPath(cue.ParsePath("#resources")))},
		{key: "traits", value: s.definitions(c.LookupPath(cue.ParsePath("#traits")))},
		{key: "blueprints", value: s.definitions(c.LookupPath(cue.ParsePath("#blueprints")))},
	}
	requires := c.LookupPath(cue.ParsePath("requires"))
	if provides := c.LookupPath(cue.ParsePath("provides")); provides.Exists() {
		out = append(out, member{key: "provides", value: s.interfaces(provides, true)})
	}
	if requires.Exists() {
		out = append(out, member{key: "requires", value: s.interfaces(requires, false)})
	}
	// While discovering the wiring, a component that requires interfaces reads fields OPM has
	// not filled yet: its spec is read on the second pass, once they are.
	if spec := c.LookupPath(cue.ParsePath("spec")); spec.Exists() && !(s.discover && hasFields(requires)) {
		out = append(out, member{key: "spec", value: s.export(spec)})
	}
	b, _ := json.Marshal(out)
	return b
}

// interfaces summarises provides or requires: each interface's metadata and, for provides, the
// contract's fields the provider gave. `host` is left out: OPM sets it at wiring.
func (s *summarizer) interfaces(v cue.Value, withValues bool) json.RawMessage {
	var out orderedObject
	s.each(v, func(local string, i cue.Value) {
		entry := orderedObject{{key: "interface", value: s.export(i.LookupPath(cue.ParsePath("metadata")))}}
		// Where the author wrote it (among the catalog's own positions), for wiring errors.
		positions, _ := json.Marshal(valuePositions(i, s.entry.baseDir))
		entry = append(entry, member{key: "positions", value: positions})
		if withValues {
			var fields orderedObject
			it, err := i.Fields()
			if err != nil {
				s.export(i)
			} else {
				for it.Next() {
					switch it.Selector().Unquoted() {
					case "apiVersion", "kind", "metadata", "host":
						continue
					}
					fields = append(fields, member{key: it.Selector().Unquoted(), value: s.export(it.Value())})
				}
			}
			b, _ := json.Marshal(fields)
			entry = append(entry, member{key: "value", value: b})
		}
		b, _ := json.Marshal(entry)
		out = append(out, member{key: local, value: b})
	})
	b, _ := json.Marshal(out)
	return b
}

func hasFields(v cue.Value) bool {
	if !v.Exists() {
		return false
	}
	it, err := v.Fields()
	return err == nil && it.Next()
}

// definitions summarises a FQN-keyed map of resources, traits, blueprints or policy rules.
func (s *summarizer) definitions(v cue.Value) json.RawMessage {
	var out orderedObject
	s.each(v, func(fqn string, d cue.Value) {
		def := orderedObject{{key: "metadata", value: s.export(d.LookupPath(cue.ParsePath("metadata")))}}
		if list := d.LookupPath(cue.ParsePath("appliesTo")); list.Exists() {
			def = append(def, member{key: "appliesTo", value: s.listOf(list, "metadata.fqn")})
		}
		if list := d.LookupPath(cue.ParsePath("composedResources")); list.Exists() {
			def = append(def, member{key: "composedResources", value: s.listOf(list, "metadata")})
		}
		if list := d.LookupPath(cue.ParsePath("composedTraits")); list.Exists() {
			def = append(def, member{key: "composedTraits", value: s.listOf(list, "metadata")})
		}
		if enforcement := d.LookupPath(cue.ParsePath("enforcement")); enforcement.Exists() {
			def = append(def, member{key: "enforcement", value: s.export(enforcement)})
		}
		// A policy rule written in CUE checks itself; the check runs per component at render.
		if d.LookupPath(cue.ParsePath("#check")).Exists() {
			def = append(def, member{key: "check", value: json.RawMessage("true")})
		}
		b, _ := json.Marshal(def)
		out = append(out, member{key: fqn, value: b})
	})
	b, _ := json.Marshal(out)
	return b
}

// listOf exports the value at path of every element of a list.
func (s *summarizer) listOf(list cue.Value, path string) json.RawMessage {
	it, err := list.List()
	if err != nil {
		return s.export(list)
	}
	items := []json.RawMessage{}
	for it.Next() {
		items = append(items, s.export(it.Value().LookupPath(cue.ParsePath(path))))
	}
	b, _ := json.Marshal(items)
	return b
}

func (s *summarizer) policies(v cue.Value) json.RawMessage {
	var out orderedObject
	s.each(v, func(key string, p cue.Value) {
		policy := orderedObject{
			{key: "metadata", value: s.export(p.LookupPath(cue.ParsePath("metadata")))},
			{key: "rules", value: s.definitions(p.LookupPath(cue.ParsePath("#rules")))},
			{key: "appliesTo", value: s.appliesTo(p.LookupPath(cue.ParsePath("appliesTo")))},
		}
		if action := p.LookupPath(cue.ParsePath("onViolation")); action.Exists() {
			policy = append(policy, member{key: "onViolation", value: s.export(action)})
		}
		if spec := p.LookupPath(cue.ParsePath("spec")); spec.Exists() {
			policy = append(policy, member{key: "spec", value: s.export(spec)})
		}
		b, _ := json.Marshal(policy)
		out = append(out, member{key: key, value: b})
	})
	b, _ := json.Marshal(out)
	return b
}

func (s *summarizer) appliesTo(v cue.Value) json.RawMessage {
	var out orderedObject
	if labels := v.LookupPath(cue.ParsePath("matchLabels")); labels.Exists() {
		out = append(out, member{key: "matchLabels", value: s.export(labels)})
	}
	if components := v.LookupPath(cue.ParsePath("components")); components.Exists() {
		out = append(out, member{key: "components", value: s.listOf(components, "metadata.name")})
	}
	b, _ := json.Marshal(out)
	return b
}
