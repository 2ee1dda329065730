#!/usr/bin/env bash
# The README's test line: set up a fresh machine, then type-check, lint and run the whole suite.
# Ends with one plain "tests: N passed, N failed" line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run --silent typecheck
npm run --silent lint
node scripts/api-report.mjs --check
# The API site builds from the doc comments with no warning (a broken {@link}, a bad tag); the
# site itself is not committed, so building it is the staleness check.
npx typedoc --logLevel Warn --out "$(mktemp -d)/api-site"
report="$(mktemp -d)/vitest.json"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$report" || true
exit $status
