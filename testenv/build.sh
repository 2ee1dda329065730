#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok from the Go module
# proxy into a cache outside the repo: ${OPM_TESTENV_CACHE:-~/.cache/opm/testenv}/<pins-hash>/bin.
# Reuses the cache when the pinned versions have not changed. Prints the bin directory on stdout;
# progress and errors go to stderr, the Go output to a log file named in any error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
versions="${OPM_TESTENV_VERSIONS:-$here/versions.env}"
# shellcheck source=versions.env
source "$versions"

fail() { echo "testenv: $*" >&2; exit 1; }

pins_hash="$(sha256sum <"$versions" | cut -c1-12)"
cache_root="${OPM_TESTENV_CACHE:-$HOME/.cache/opm/testenv}"
out="$cache_root/$pins_hash"
bin="$out/bin"
want=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kwok-stages.yaml)

complete() { for b in "${want[@]}"; do [ -e "$bin/$b" ] || return 1; done; }
if complete; then echo "$bin"; exit 0; fi
command -v go >/dev/null 2>&1 || fail "Go is not installed; install Go >= 1.26 (https://go.dev/doc/install or apt-get install golang) and retry"

mkdir -p "$bin" "$out/src" "$out/logs"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE="${GOCACHE:-$cache_root/go-build}"
started=$SECONDS

# run <name> <log> <cmd...>: runs quietly; on failure prints one line with the log's last message.
run() {
  local name="$1" log="$2"; shift 2
  if ! "$@" >"$log" 2>&1; then
    local last; last="$(grep -v '^\s*$' "$log" | tail -n 1 | sed 's/^\s*//' | cut -c1-300)"
    fail "building $name failed: $last; retry with 'npm run testenv -- build' (a Go module proxy error is usually transient; full log: $log)"
  fi
}

build_etcd() {
  [ -x "$bin/etcd" ] && return 0
  local d="$out/src/etcd"; mkdir -p "$d"
  cat >"$d/go.mod" <<MOD
module opm.local/testenv/etcd

go 1.26
MOD
  echo 'package tools; import _ "go.etcd.io/etcd/server/v3"' >"$d/tools.go"
  echo "testenv: building etcd $ETCD_VERSION" >&2
  (cd "$d" && run etcd "$out/logs/etcd.log" sh -c "go get go.etcd.io/etcd/server/v3@$ETCD_VERSION && go build -trimpath -ldflags='-s -w' -o '$bin/etcd.tmp' go.etcd.io/etcd/server/v3")
  mv "$bin/etcd.tmp" "$bin/etcd"
}

build_kube() {
  local missing=0
  for b in kube-apiserver kube-controller-manager kube-scheduler; do [ -x "$bin/$b" ] || missing=1; done
  [ $missing = 1 ] || return 0
  local d="$out/src/kube" v="$KUBERNETES_VERSION" minor staging
  minor="$(echo "$v" | cut -d. -f2)"
  staging="v0.${v#v1.}"
  mkdir -p "$d"
  echo "testenv: building kube-apiserver, kube-controller-manager, kube-scheduler $v (first build takes a while)" >&2
  # k8s.io/kubernetes requires its staging modules at v0.0.0 with local replaces that a consumer
  # ignores; replace each with the matching published v0.<minor>.<patch> instead.
  local modfile="$out/src/kubernetes-$v.mod"
  run "kubernetes go.mod" "$out/logs/kube-mod.log" curl -fsSL -o "$modfile" "${GOPROXY_URL:-https://proxy.golang.org}/k8s.io/kubernetes/@v/$v.mod"
  {
    echo "module opm.local/testenv/kube"; echo; echo "go 1.26"; echo
    echo "require k8s.io/kubernetes $v"; echo
    echo "replace ("
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' "$modfile" | awk '{print $1}' | while read -r m; do
      echo "	$m => $m $staging"
    done
    echo ")"
  } >"$d/go.mod"
  echo 'package tools; import (_ "k8s.io/kubernetes/cmd/kube-apiserver"; _ "k8s.io/kubernetes/cmd/kube-controller-manager"; _ "k8s.io/kubernetes/cmd/kube-scheduler")' >"$d/tools.go"
  local ld="-s -w -X k8s.io/component-base/version.gitVersion=$v -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  (cd "$d" && run "kubernetes modules" "$out/logs/kube-tidy.log" go mod tidy)
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    [ -x "$bin/$b" ] && continue
    echo "testenv:   $b" >&2
    (cd "$d" && run "$b" "$out/logs/$b.log" go build -trimpath -ldflags="$ld" -o "$bin/$b.tmp" "k8s.io/kubernetes/cmd/$b")
    mv "$bin/$b.tmp" "$bin/$b"
  done
}

build_kwok() {
  if [ ! -x "$bin/kwok" ]; then
    echo "testenv: building kwok $KWOK_VERSION" >&2
    run kwok "$out/logs/kwok.log" env GOBIN="$bin" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  fi
  # kwok's own lifecycle stages (from its module source): nodes become Ready and keep a heartbeat,
  # pods become Running and Ready, complete (Jobs) and go away when deleted.
  local stages; stages="$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage"
  [ -d "$stages" ] || run "kwok source" "$out/logs/kwok-src.log" go mod download "sigs.k8s.io/kwok@$KWOK_VERSION"
  for f in node/fast/node-initialize.yaml node/heartbeat/node-heartbeat.yaml pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    [ -f "$stages/$f" ] || fail "kwok $KWOK_VERSION has no stage $f"
    cat "$stages/$f"; echo "---"
  done >"$bin/kwok-stages.yaml"
}

build_etcd
build_kwok
build_kube
complete || fail "build finished but binaries are missing in $bin"
echo "testenv: built in $((SECONDS - started))s into $bin" >&2
echo "$bin"
