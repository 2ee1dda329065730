#!/usr/bin/env bash
# Builds the CUE engine from bridge/go into bridge/dist: a native binary for every platform the
# package ships (cross-compiled with CGO_ENABLED=0, so none needs a C library), a GOOS=js wasm
# module (the fallback everywhere else), and Go's wasm_exec.js. bridge/locate.ts names the layout.
# Each output is rebuilt only when a Go source (or go.mod/go.sum) is newer than it.
# GOCACHE/GOMODCACHE stay at Go's defaults (outside the repo) so CI and every worktree reuse them.
#   bash bridge/build.sh [--force] [--host]   (--host: only this machine's platform and wasm)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/go"
out="$here/dist"

force=false
host_only=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    --host) host_only=true ;;
    *) echo "build:engine: unknown argument $arg" >&2; exit 2 ;;
  esac
done


# <node platform>-<node arch> <GOOS>/<GOARCH>, as bridge/locate.ts NATIVE_PLATFORMS lists them.
platforms=(
  "linux-x64 linux/amd64"
  "linux-arm64 linux/arm64"
  "darwin-x64 darwin/amd64"
  "darwin-arm64 darwin/arm64"
  "win32-x64 windows/amd64"
)
host="$(node -p 'process.platform + "-" + process.arch')"

# Up to date when the output exists and no Go source is newer than it.
up_to_date() {
  [[ "$force" == false && -f "$1" ]] || return 1
  [[ -z "$(find "$src" -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -newer "$1" -print -quit)" ]]
}

# Builds into a temporary name and renames, so a half-written binary is never picked up.
# Go is only needed when something is out of date.
build() {
  local target="$1" goos="$2" goarch="$3"
  if up_to_date "$target"; then return 0; fi
  if ! command -v go >/dev/null 2>&1; then
    echo "build:engine: Go is not installed (need Go >= 1.26 on PATH to build bridge/dist/${target#"$out"/})" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$target")"
  (cd "$src" && GOOS="$goos" GOARCH="$goarch" CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$target.tmp" .)
  mv "$target.tmp" "$target"
  built+=("${target#"$out"/}")
}

built=()
for entry in "${platforms[@]}"; do
  platform="${entry%% *}"
  goos="${entry#* }"; goarch="${goos#*/}"; goos="${goos%/*}"
  if [[ "$host_only" == true && "$platform" != "$host" ]]; then continue; fi
  exe=""; [[ "$goos" == windows ]] && exe=".exe"
  build "$out/native/$platform/cue-engine$exe" "$goos" "$goarch"
done
build "$out/cue-engine.wasm" js wasm
if [[ ! -f "$out/wasm_exec.js" || "$force" == true ]]; then
  cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/wasm_exec.js.tmp"
  mv "$out/wasm_exec.js.tmp" "$out/wasm_exec.js"
fi
# The single native binary of earlier layouts; nothing reads it any more.
rm -f "$out/cue-engine"

if [[ ${#built[@]} -eq 0 ]]; then
  echo "build:engine: bridge/dist is up to date"
else
  echo "build:engine: built ${built[*]} in bridge/dist"
fi
