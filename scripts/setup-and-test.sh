#!/usr/bin/env bash
# The README's test line: set up a fresh machine, then run the whole suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run check
