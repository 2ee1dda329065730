#!/usr/bin/env bash
# Builds the CUE engine twice from bridge/go: a native binary (CGO_ENABLED=0) and a GOOS=js wasm
# module, plus Go's wasm_exec.js, into bridge/dist. Skips the work when the outputs are newer than
# every Go source. GOCACHE/GOMODCACHE stay at Go's defaults (outside the repo) so CI reuses them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/go"
out="$here/dist"
native="$out/cue-engine"
wasm="$out/cue-engine.wasm"
wasm_exec="$out/wasm_exec.js"

if ! command -v go >/dev/null 2>&1; then
  echo "build:engine: Go is not installed (need Go >= 1.26 on PATH to build bridge/dist/cue-engine)" >&2
  exit 1
fi

# Up to date when every output exists and no Go source (or go.mod/go.sum) is newer than the oldest.
up_to_date() {
  local f
  for f in "$native" "$wasm" "$wasm_exec"; do
    [[ -f "$f" ]] || return 1
  done
  local newer
  newer="$(find "$src" -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) \( -newer "$native" -o -newer "$wasm" \) -print -quit)"
  [[ -z "$newer" ]]
}

if [[ "${1:-}" != "--force" ]] && up_to_date; then
  echo "build:engine: bridge/dist is up to date"
  exit 0
fi

mkdir -p "$out"
cd "$src"
flags=(-trimpath -ldflags "-s -w")
# Build into temporary names and rename, so a half-written binary is never picked up.
CGO_ENABLED=0 go build "${flags[@]}" -o "$native.tmp" .
GOOS=js GOARCH=wasm go build "${flags[@]}" -o "$wasm.tmp" .
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$wasm_exec.tmp"
mv "$native.tmp" "$native"
mv "$wasm.tmp" "$wasm"
mv "$wasm_exec.tmp" "$wasm_exec"
echo "build:engine: built $(basename "$native") and $(basename "$wasm") in bridge/dist"
