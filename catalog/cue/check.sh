#!/usr/bin/env bash
# Checks the catalog's CUE modules with the `cue` dev binary (not a product dependency):
# starts a scratch in-memory registry, publishes the modules in dependency order, then vets each.
# Usage: catalog/cue/check.sh   (needs `cue` v0.17.x on PATH: go install cuelang.org/go/cmd/cue@v0.17.1)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${CUE_CHECK_PORT:-$((20000 + RANDOM % 20000))}"
cue mod registry "127.0.0.1:${port}" >/dev/null 2>&1 &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null || true' EXIT
sleep 0.5
export CUE_REGISTRY="opmodel.dev=127.0.0.1:${port}+insecure"
export CUE_CACHE_DIR="$(mktemp -d)"
trap 'kill "$registry_pid" 2>/dev/null || true; rm -rf "$CUE_CACHE_DIR"' EXIT
for module in ${CHECK_MODULES:-core schemas resources traits blueprints policies}; do
  (
    cd "$here/$module"
    cue vet -c=false ./...
    # Packages with fixtures (files tagged @if(test)) must export concretely.
    for dir in $(grep -rl --include='*.cue' '^@if(test)' . | grep -v '^./cue.mod/' | xargs -r -n1 dirname | sort -u); do
      cue export -t test "$dir" >"${CUE_CHECK_OUT:-/dev/null}"
    done
    cue mod publish "${CATALOG_VERSION:-v0.1.0}" >/dev/null
  )
  echo "ok  opmodel.dev/$module@v0"
done
