package main

// The module requests serve loading a CUE module (a package that is, or holds, a core.#Module)
// in as few evaluations as possible:
//
//   - loadModule resolves, parses and evaluates the package once and answers with everything
//     the loader needs at once: where the module is, its metadata, the values its author wrote,
//     its #config and whether it has #policies. Files matching `exclude` (values_*.cue:
//     alternative value sets that are passed with -f) are left out of the package.
//   - moduleComponents fills #config with checked values and returns every component reduced
//     to plain data, or every problem with its positions.
//   - modulePolicies does the same for #policies: a policy's rules, scope and specs may depend
//     on #config, so they are read with the release's values, never before.

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/load"
	"cuelang.org/go/cue/parser"
)

func init() {
	methods["loadModule"] = loadModuleRequest
	methods["moduleComponents"] = moduleComponents
	methods["modulePolicies"] = modulePolicies
}

type moduleParams struct {
	loadParams
	// Path is the CUE path of the module value in the package. Absent: the package itself when
	// it has metadata and #components, else its one top-level field that has both.
	Path *string `json:"path"`
	// Exclude holds file name patterns (path.Match, on names in Dir) left out of the package.
	Exclude []string `json:"exclude"`
}

// maxValuePositions bounds the positions reported for the author's values.
const maxValuePositions = 5000

func loadModuleRequest(e *engine, raw json.RawMessage) (any, error) {
	var p moduleParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(p.Dir)
	if err != nil || p.Dir == "" {
		return nil, failf(codeInvalidRequest, "loadModule needs dir")
	}
	stubs, excluded := excludedFiles(dir, p)
	inst, dir, err := e.loadInstance(p.loadParams, stubs)
	if err != nil {
		return nil, err
	}
	root := e.ctx.BuildInstance(inst)
	entry := handleEntry{value: root, baseDir: dir, pkg: inst.ID()}
	at, err := modulePath(root, p.Path, inst.ID())
	if err != nil {
		return nil, err
	}
	module := root.LookupPath(at)
	valuesPath := cue.MakePath(append(at.Selectors(), cue.Str("values"))...)
	// Problems in `values` are left to the values check, which layers the user's values first
	// (a value they replace cannot conflict); every other problem of the package is fatal.
	if err := root.Validate(); err != nil {
		var fatal []issue
		for _, is := range withFallbackPositions(cueIssues(err, dir), root, dir) {
			if !pathWithin(is.Path, valuesPath.String()) {
				fatal = append(fatal, is)
			}
		}
		if len(fatal) > 0 {
			return nil, issuesFailure(fatal)
		}
	}
	metadata, err := concreteJSON(module.LookupPath(cue.ParsePath("metadata")), entry)
	if err != nil {
		return nil, err
	}
	configPath := cue.MakePath(append(at.Selectors(), cue.Def("#config"))...)
	config := root.LookupPath(configPath)
	if !config.Exists() {
		return nil, failf(codeNotFound, "the module has no #config")
	}
	values := authoredValues(e, module.LookupPath(cue.ParsePath("values")), configPath)
	if err := values.Validate(); err != nil {
		return nil, valueFailure(err, entry)
	}
	data, _ := concreteData(values, 0)
	positions := []valuePosition{}
	collectPositions(values, []any{}, dir, &positions)
	// Policies are read with the release's values (modulePolicies): read here, a field that
	// depends on #config would take its default or not evaluate.
	hasPolicies := module.LookupPath(cue.ParsePath("#policies")).Exists()
	files := []string{}
	for _, f := range buildFileNames(inst, dir) {
		if !contains(excluded, f) {
			files = append(files, f)
		}
	}
	return map[string]any{
		"handle":         e.handles.add(root, entry),
		"config":         e.handles.add(config, entry),
		"path":           at.String(),
		"module":         inst.Module,
		"importPath":     inst.ImportPath,
		"files":          files,
		"excluded":       excluded,
		"metadata":       metadata,
		"values":         data,
		"valuePositions": positions,
		"hasPolicies":    hasPolicies,
	}, nil
}

// excludedFiles overlays every file of dir matching p.Exclude with an empty file of the
// package, so the load neither reads nor parses it (a broken values_x.cue cannot fail it).
func excludedFiles(dir string, p moduleParams) (map[string]load.Source, []string) {
	if len(p.Exclude) == 0 {
		return nil, nil
	}
	sources := map[string]func() ([]byte, error){}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, entry := range entries {
			name := entry.Name()
			if !entry.IsDir() && strings.HasSuffix(name, ".cue") {
				sources[name] = func() ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
			}
		}
	}
	for name, text := range p.Overlay {
		abs := name
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(dir, name)
		}
		if filepath.Dir(abs) == dir && strings.HasSuffix(abs, ".cue") {
			sources[filepath.Base(abs)] = func() ([]byte, error) { return []byte(text), nil }
		}
	}
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	pkg := p.Package
	var excluded []string
	for _, name := range names {
		if matchesAny(name, p.Exclude) {
			excluded = append(excluded, name)
		} else if pkg == "" {
			pkg = packageClause(name, sources[name])
		}
	}
	if len(excluded) == 0 || pkg == "" {
		return nil, nil
	}
	stubs := map[string]load.Source{}
	for _, name := range excluded {
		stubs[filepath.Join(dir, name)] = load.FromString("package " + pkg + "\n")
	}
	return stubs, excluded
}

func matchesAny(name string, patterns []string) bool {
	for _, pattern := range patterns {
		if ok, _ := path.Match(pattern, name); ok {
			return true
		}
	}
	return false
}

func packageClause(name string, read func() ([]byte, error)) string {
	src, err := read()
	if err != nil {
		return ""
	}
	f, err := parser.ParseFile(name, src, parser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	return f.PackageName()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pathWithin reports whether the dotted issue path p is root or lies below it.
func pathWithin(p, root string) bool {
	return p == root || strings.HasPrefix(p, root+".") || strings.HasPrefix(p, root+"[")
}

func isModuleValue(v cue.Value) bool {
	return v.LookupPath(cue.ParsePath("metadata")).Exists() && v.LookupPath(cue.ParsePath("#components")).Exists()
}

// modulePath finds the module value: the given path, the package itself, or its one top-level
// field that is a module.
func modulePath(root cue.Value, given *string, pkg string) (cue.Path, error) {
	if given != nil {
		at, err := parsePath(*given, pkg)
		if err != nil {
			return cue.Path{}, err
		}
		if !isModuleValue(root.LookupPath(at)) {
			return cue.Path{}, failf(codeNotFound, "the value at %q is not a module: it has no metadata and #components", *given)
		}
		return at, nil
	}
	if isModuleValue(root) {
		return cue.MakePath(), nil
	}
	var candidates []cue.Path
	if it, err := root.Fields(); err == nil {
		for it.Next() {
			if it.Value().IncompleteKind() == cue.StructKind && isModuleValue(it.Value()) {
				candidates = append(candidates, cue.MakePath(it.Selector()))
			}
		}
	}
	switch len(candidates) {
	case 1:
		return candidates[0], nil
	case 0:
		if err := root.Err(); err != nil {
			return cue.Path{}, cueFailure(codeCue, err, "")
		}
		return cue.Path{}, failf(codeNotFound, "the CUE package is not a module: it has no metadata and #components (nor does any top-level field)")
	}
	names := make([]string, len(candidates))
	for i, c := range candidates {
		names[i] = c.String()
	}
	return cue.Path{}, failf(codeNotFound, "the CUE package holds several modules (%s); choose one with the path option", strings.Join(names, ", "))
}

// authoredValues is the module's `values` without the #config it is unified with (modules
// write `values: #config` beside the author's values.cue): what the author set, and nothing
// #config derives from it, so later layers can replace it and derived fields follow them.
func authoredValues(e *engine, values cue.Value, configPath cue.Path) cue.Value {
	out := e.ctx.CompileString("{}")
	if !values.Exists() {
		return out
	}
	config := configPath.String()
	var collect func(v cue.Value)
	collect = func(v cue.Value) {
		op, args := v.Expr()
		if op == cue.AndOp {
			for _, a := range args {
				collect(a)
			}
			return
		}
		if refersTo(v, config) {
			return
		}
		if op == cue.CallOp {
			// close(#config) and the like.
			for _, a := range args {
				if refersTo(a, config) {
					return
				}
			}
		}
		out = out.Unify(v)
	}
	collect(values)
	return out
}

func refersTo(v cue.Value, target string) bool {
	_, p := v.ReferencePath()
	return len(p.Selectors()) > 0 && p.String() == target
}

// concreteData is the concrete part of v as JSON: all of it when it is concrete, else the
// fields that are (recursively); ok is false when nothing of v is concrete.
func concreteData(v cue.Value, depth int) (json.RawMessage, bool) {
	if d, ok := v.Default(); ok {
		v = d
	}
	if v.Validate(cue.Concrete(true), cue.Final()) == nil {
		if b, err := v.MarshalJSON(); err == nil {
			return b, true
		}
	}
	if v.IncompleteKind() != cue.StructKind || depth >= 32 {
		return nil, false
	}
	it, err := v.Fields()
	if err != nil {
		return nil, false
	}
	var obj orderedObject
	for it.Next() {
		if child, ok := concreteData(it.Value(), depth+1); ok {
			obj = append(obj, member{key: it.Selector().Unquoted(), value: child})
		}
	}
	b, _ := json.Marshal(obj)
	return b, len(obj) > 0 || depth == 0
}

type valuePosition struct {
	Path []any `json:"path"`
	position
}

// collectPositions records where every field and list element of v was written.
func collectPositions(v cue.Value, at []any, baseDir string, out *[]valuePosition) {
	if len(*out) >= maxValuePositions {
		return
	}
	if len(at) > 0 && v.Pos().IsValid() {
		*out = append(*out, valuePosition{Path: append([]any{}, at...), position: toPosition(v.Pos(), baseDir)})
	}
	switch v.IncompleteKind() {
	case cue.StructKind:
		if it, err := v.Fields(); err == nil {
			for it.Next() {
				collectPositions(it.Value(), append(at, it.Selector().Unquoted()), baseDir, out)
			}
		}
	case cue.ListKind:
		if it, err := v.List(); err == nil {
			for i := 0; it.Next(); i++ {
				collectPositions(it.Value(), append(at, i), baseDir, out)
			}
		}
	}
}

type componentsParams struct {
	Handle int64 `json:"handle"`
	// Path is the module's path in the package, as loadModule reported it.
	Path   string          `json:"path"`
	Values json.RawMessage `json:"values"`
	// Requires fills #components.<key>.requires.<local> with the wired interface values.
	Requires map[string]map[string]json.RawMessage `json:"requires,omitempty"`
	// Discover summarises the components for wiring: the spec of those that require
	// interfaces is left out (it reads fields only Requires makes concrete).
	Discover bool `json:"discover,omitempty"`
}

func moduleComponents(e *engine, raw json.RawMessage) (any, error) {
	var p componentsParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	root, at, entry, err := filledModule(e, p.Handle, p.Path, p.Values)
	if err != nil {
		return nil, err
	}
	componentsAt := append(at.Selectors(), cue.Def("#components"))
	for _, key := range sortedKeys(p.Requires) {
		for _, local := range sortedKeys(p.Requires[key]) {
			with, err := jsonValue(e, p.Requires[key][local])
			if err != nil {
				return nil, err
			}
			path := append(append([]cue.Selector{}, componentsAt...), cue.Str(key), cue.Str("requires"), cue.Str(local))
			root = root.FillPath(cue.MakePath(path...), with)
		}
	}
	s := &summarizer{entry: handleEntry{value: root, baseDir: entry.baseDir, pkg: entry.pkg}, discover: p.Discover}
	components := s.components(root.LookupPath(cue.MakePath(componentsAt...)))
	if len(s.issues) > 0 {
		return nil, issuesFailure(s.issues)
	}
	return map[string]any{"components": components}, nil
}

type policiesParams struct {
	Handle int64 `json:"handle"`
	// Path is the module's path in the package, as loadModule reported it.
	Path   string          `json:"path"`
	Values json.RawMessage `json:"values"`
}

// modulePolicies reads #policies with #config filled, as moduleComponents reads #components:
// a policy whose rules, scope or specs depend on values is read with the release's values. A
// field that still does not evaluate is an issue at its path (#policies.<key>.<field>).
func modulePolicies(e *engine, raw json.RawMessage) (any, error) {
	var p policiesParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	root, at, entry, err := filledModule(e, p.Handle, p.Path, p.Values)
	if err != nil {
		return nil, err
	}
	s := &summarizer{entry: handleEntry{value: root, baseDir: entry.baseDir, pkg: entry.pkg}}
	policies := s.policies(root.LookupPath(cue.MakePath(append(at.Selectors(), cue.Def("#policies"))...)))
	if len(s.issues) > 0 {
		return nil, issuesFailure(s.issues)
	}
	return map[string]any{"policies": policies}, nil
}

// filledModule is the loaded package with the module's #config filled with values (none when
// values is empty or null), the module's path in it, and the loaded handle's entry.
func filledModule(e *engine, handle int64, modulePath string, values json.RawMessage) (cue.Value, cue.Path, handleEntry, error) {
	entry, err := e.handles.get(handle)
	if err != nil {
		return cue.Value{}, cue.Path{}, entry, err
	}
	at, err := parsePath(modulePath, entry.pkg)
	if err != nil {
		return cue.Value{}, cue.Path{}, entry, err
	}
	root := entry.value
	if len(values) > 0 && string(values) != "null" {
		with, err := jsonValue(e, values)
		if err != nil {
			return cue.Value{}, cue.Path{}, entry, err
		}
		root = root.FillPath(cue.MakePath(append(at.Selectors(), cue.Def("#config"))...), with)
	}
	return root, at, entry, nil
}

// issuesFailure is a CueError carrying every issue, its message naming the first.
func issuesFailure(issues []issue) *engineError {
	msg := issues[0].Message
	if issues[0].Path != "" {
		msg = issues[0].Path + ": " + msg
	}
	if len(issues) > 1 {
		msg += " (and more)"
	}
	return &engineError{code: codeCue, msg: msg, issues: issues}
}

// concreteJSON exports v, or fails with every non-concrete or conflicting field positioned.
func concreteJSON(v cue.Value, entry handleEntry) (json.RawMessage, error) {
	if err := v.Validate(cue.Concrete(true), cue.Final()); err != nil {
		return nil, valueFailure(err, entry)
	}
	b, err := v.MarshalJSON()
	if err != nil {
		return nil, valueFailure(err, entry)
	}
	return b, nil
}

type member struct {
	key   string
	value json.RawMessage
}

// orderedObject marshals as a JSON object keeping CUE's field order.
type orderedObject []member

func (o orderedObject) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, m := range o {
		if i > 0 {
			buf = append(buf, ',')
		}
		key, _ := json.Marshal(m.key)
		buf = append(buf, key...)
		buf = append(buf, ':')
		if m.value == nil {
			buf = append(buf, "null"...)
		} else {
			buf = append(buf, m.value...)
		}
	}
	return append(buf, '}'), nil
}

// sortedKeys gives a map's keys in order, so fills happen in the same order every time.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
