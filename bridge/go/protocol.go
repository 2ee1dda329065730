// Package main is OPM's CUE engine: a small request/response server over cuelang.org/go.
// The same dispatcher serves two transports: NDJSON over stdio (native build) and a JS function
// (GOOS=js build). See bridge/protocol.ts for the TypeScript side of the same protocol.
package main

import (
	"encoding/json"
	"fmt"
)

// protocolVersion is bumped whenever a request or result changes shape incompatibly.
const protocolVersion = 1

type request struct {
	V      int             `json:"v"`
	ID     int64           `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

type response struct {
	ID     int64          `json:"id"`
	Result any            `json:"result,omitempty"`
	Error  *responseError `json:"error,omitempty"`
}

type responseError struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Errors  []issue `json:"errors,omitempty"`
}

type issue struct {
	Path      string     `json:"path"`
	Message   string     `json:"message"`
	Positions []position `json:"positions"`
}

type position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Error codes: stable strings the TS client maps to its CueEngineError codes.
const (
	codeInvalidRequest = "InvalidRequest"
	codeUnknownMethod  = "UnknownMethod"
	codeUnknownHandle  = "UnknownHandle"
	codeCue            = "CueError"
	codeLoad           = "LoadError"
	codeNotFound       = "NotFound"
	codeMemoryLimit    = "MemoryLimit"
	codeInternal       = "Internal"
)

// engineError is returned by method handlers; anything else becomes codeInternal.
type engineError struct {
	code   string
	msg    string
	issues []issue
}

func (e *engineError) Error() string { return e.msg }

func failf(code, format string, args ...any) *engineError {
	return &engineError{code: code, msg: fmt.Sprintf(format, args...)}
}

func decodeParams(raw json.RawMessage, into any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return failf(codeInvalidRequest, "bad params: %v", err)
	}
	return nil
}
