package main

import (
	"strconv"

	"cuelang.org/go/cue"
	"path/filepath"
	"strings"

	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/token"
)

// withFallbackPositions gives issues that CUE left without a position (an incomplete
// disjunction, for one) the positions of the value at their path, so every issue can be located.
func withFallbackPositions(issues []issue, root cue.Value, baseDir string) []issue {
	for i := range issues {
		if len(issues[i].Positions) > 0 || issues[i].Path == "" {
			continue
		}
		if v := root.LookupPath(pathFromIssue(issues[i].Path)); v.Exists() {
			issues[i].Positions = valuePositions(v, baseDir)
		}
	}
	return issues
}

// valuePositions are the places a value was written: the value's own position and those of
// the conjuncts or disjuncts it is made of (an unresolved disjunction has no position of its
// own, but its alternatives do).
func valuePositions(v cue.Value, baseDir string) []position {
	out := []position{}
	seen := map[token.Pos]bool{}
	add := func(p token.Pos) {
		if p.IsValid() && !seen[p] {
			seen[p] = true
			out = append(out, toPosition(p, baseDir))
		}
	}
	add(v.Pos())
	if op, args := v.Expr(); op == cue.AndOp || op == cue.OrOp {
		for _, a := range args {
			add(a.Pos())
		}
	}
	return out
}

// pathFromIssue rebuilds a cue.Path from an issue path, whose list indexes are bare numbers.
func pathFromIssue(dotted string) cue.Path {
	var sels []cue.Selector
	for _, seg := range splitPath(dotted) {
		if n, err := strconv.Atoi(seg); err == nil {
			sels = append(sels, cue.Index(n))
			continue
		}
		p, err := parsePath(seg, "_")
		if err != nil {
			return cue.MakePath(cue.Str(dotted)) // cannot rebuild it: look up nothing
		}
		sels = append(sels, p.Selectors()...)
	}
	return cue.MakePath(sels...)
}

// cueFailure turns a CUE error (possibly a list) into one engineError that keeps every
// individual error with its path, message and all its source positions.
func cueFailure(code string, err error, baseDir string) *engineError {
	issues := cueIssues(err, baseDir)
	msg := err.Error()
	if len(issues) > 0 {
		msg = issues[0].Message
		if issues[0].Path != "" {
			msg = issues[0].Path + ": " + msg
		}
		if len(issues) > 1 {
			msg += " (and more)"
		}
	}
	return &engineError{code: code, msg: msg, issues: issues}
}

func cueIssues(err error, baseDir string) []issue {
	list := errors.Errors(err)
	out := make([]issue, 0, len(list))
	for _, e := range list {
		path := strings.Join(e.Path(), ".")
		out = append(out, issue{
			Path:      path,
			Message:   issueMessage(e, path),
			Positions: positionsOf(e, baseDir),
		})
	}
	return out
}

func positionsOf(err error, baseDir string) []position {
	out := []position{}
	for _, p := range errors.Positions(err) {
		out = append(out, toPosition(p, baseDir))
	}
	return out
}

// toPosition reports files under the loaded directory relative to it, as the cue CLI does,
// so that results do not depend on where a module was checked out.
func toPosition(p token.Pos, baseDir string) position {
	file := p.Filename()
	if baseDir != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(baseDir, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = filepath.ToSlash(rel)
		}
	}
	return position{File: file, Line: p.Line(), Column: p.Column()}
}

// valueFailure is cueFailure for errors found while evaluating a handle's value.
func valueFailure(err error, entry handleEntry) *engineError {
	f := cueFailure(codeCue, err, entry.baseDir)
	f.issues = withFallbackPositions(f.issues, entry.value, entry.baseDir)
	return f
}

// issueMessage is the error's message without its path prefix. For wrapped errors (a load's
// "import failed" around the real cause) Msg has only the outer text, so the whole chain is
// used, with repeats of one wrapper ("import failed: import failed: ...") collapsed.
func issueMessage(e errors.Error, path string) string {
	format, args := e.Msg()
	short := errors.NewMessagef(format, args...)
	msg := short.Error()
	full := strings.TrimPrefix(e.Error(), path+": ")
	if msg == "" {
		return full // a wrapper without text of its own: the cause is the message
	}
	if full == msg || !strings.HasPrefix(full, msg+": ") {
		return msg
	}
	for strings.HasPrefix(full, msg+": "+msg+": ") {
		full = strings.TrimPrefix(full, msg+": ")
	}
	return full
}
