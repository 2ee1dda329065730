#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with Node 20 and Go 1.26:
# the apt packages the test environment uses, the npm packages, the Go helper, and the test
# control plane (built from the Go module proxy into ~/.cache/opm, reused when present).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || need_apt+=(docker-registry)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v htpasswd >/dev/null 2>&1 || need_apt+=(apache2-utils)  # bcrypt for the auth registry
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: please install: ${need_apt[*]} (apt-get install ${need_apt[*]})" >&2; exit 1
  fi
  echo "setup: installing ${need_apt[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# Debian starts the registry as a system service on :5000 when it can; our tests start their own.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now docker-registry >/dev/null 2>&1 || true; fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build:all
