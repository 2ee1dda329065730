package main

import (
	"strings"

	"cuelang.org/go/cue"
)

// parsePath is cue.ParsePath plus hidden labels ("_x", "_#X"), which cue.ParsePath refuses
// because a hidden field belongs to a package: pkg says which one.
func parsePath(s, pkg string) (cue.Path, error) {
	if s == "" {
		return cue.MakePath(), nil
	}
	var sels []cue.Selector
	for _, seg := range splitPath(s) {
		if strings.HasPrefix(seg, "_") && seg != "_" {
			sels = append(sels, cue.Hid(seg, pkg))
			continue
		}
		p := cue.ParsePath(seg)
		if err := p.Err(); err != nil {
			return cue.Path{}, failf(codeInvalidRequest, "bad path %q: %v", s, err)
		}
		sels = append(sels, p.Selectors()...)
	}
	return cue.MakePath(sels...), nil
}

// splitPath splits on dots that are outside quotes and brackets: a."b.c"[0].d has three parts.
func splitPath(s string) []string {
	var parts []string
	depth, start := 0, 0
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '[':
			depth++
		case !inQuote && c == ']':
			depth--
		case !inQuote && depth == 0 && c == '.':
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
