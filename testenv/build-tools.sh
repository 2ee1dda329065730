#!/usr/bin/env bash
# Builds the Go tools that tests use as oracles (testenv/tools.env: the `cue` CLI, cosign, sops and age-keygen)
# cosign) from the Go module proxy into a cache outside the repo:
#   ${OPM_TESTENV_CACHE:-~/.cache/opm/testenv}/tools/<name>-<hash of its pin>/<name>
# Each tool is cached by its own pin, so adding or bumping one never rebuilds the others (nor the
# control plane, which build.sh caches by versions.env). Usage: build-tools.sh [name...] (default:
# every tool); prints one `<name>=<path>` line per tool on stdout, progress on stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pins="${OPM_TESTENV_TOOLS:-$here/tools.env}"
cache_root="${OPM_TESTENV_CACHE:-$HOME/.cache/opm/testenv}"

fail() { echo "testenv: $*" >&2; exit 1; }

declare -A pin=()
while IFS='=' read -r name spec; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  pin[$name]="$spec"
done <"$pins"

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || mapfile -t wanted < <(printf '%s\n' "${!pin[@]}" | sort)

for name in "${wanted[@]}"; do
  spec="${pin[$name]:-}"
  [ -n "$spec" ] || fail "no tool named $name in $pins (known: ${!pin[*]})"
  dir="$cache_root/tools/$name-$(printf '%s' "$spec" | sha256sum | cut -c1-12)"
  if [ ! -x "$dir/$name" ]; then
    command -v go >/dev/null 2>&1 || fail "Go is not installed; install Go >= 1.26 and retry"
    echo "testenv: building $name ($spec)" >&2
    mkdir -p "$dir/gobin"
    log="$dir/build.log"
    if ! env GOBIN="$dir/gobin" GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 \
      go install -trimpath -ldflags='-s -w' "$spec" >"$log" 2>&1; then
      fail "building $name failed: $(grep -v '^\s*$' "$log" | tail -n 1 | cut -c1-300) (full log: $log)"
    fi
    built="$(find "$dir/gobin" -maxdepth 1 -type f -perm -u+x | head -n 1)"
    [ -n "$built" ] || fail "building $name produced no binary (log: $log)"
    mv "$built" "$dir/$name"
    rm -rf "$dir/gobin"
  fi
  echo "$name=$dir/$name"
done
