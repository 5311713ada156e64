#!/usr/bin/env bash
# `npm test`: every check, from a fresh machine. Installs what is missing (Node 22 + yarn into .tools/,
# Debian nats-server, chromium, git and postgresql, dependencies), then runs: type check, lint, every unit
# and integration test (jest, all workspaces; they start real nats-server, PostgreSQL, bare Git repos and
# the devcluster themselves), then the browser journeys (Playwright + Debian chromium) against a portal
# started by the launcher on spare ports with a throw-away data dir. Ends with the line `N passed, N failed`, where N
# counts jest tests plus one each for the type check and lint (eslint, prettier, and the API reports of
# the library packages: a changed public API must come with its regenerated report.api.md).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/ensure.sh
source "$ROOT/scripts/lib/ensure.sh"

ensure_toolchain || exit 1
# postgresql: the backend's database tests run on PostgreSQL as well as SQLite (catalyst-test-utils
# starts a throw-away server from /usr/lib/postgresql/<version>/bin; the package's own service is not used).
# haproxy: the cluster acceptance tests (packages/portal/src/cluster) put it in front of two replicas.
ensure_apt nats-server:nats-server chromium:chromium git:git 'postgresql:/usr/lib/postgresql/*/bin/initdb' \
  haproxy:/usr/sbin/haproxy || exit 1
ensure_yarn_install || exit 1

RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
passed=0
failed=0
export CI=true

# One pass/fail check: the command's output is kept in .test-results/<name>.log, shown on failure.
check() {
  local name=$1
  shift
  log "$name"
  if "$@" >"$RESULTS/$name.log" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    tail -n 60 "$RESULTS/$name.log"
    log "$name FAILED (log: .test-results/$name.log)"
  fi
}

# Adds a jest JSON report's counts; a missing or unreadable report counts as one failure.
count_jest() {
  local report=$1 counts
  counts=$(node -e '
    const r = require(process.argv[1]);
    const broken = r.testResults.filter(t => t.testExecError || (t.status === "failed" && t.assertionResults.length === 0)).length;
    console.log(`${r.numPassedTests} ${r.numFailedTests + broken}`);
  ' "$report" 2>/dev/null) || counts="0 1"
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
}

check tsc yarn --cwd "$ROOT" tsc
check lint yarn --cwd "$ROOT" lint

log "unit and integration tests"
(cd "$ROOT" && yarn backstage-cli repo test --json --outputFile="$RESULTS/jest.json") || true
count_jest "$RESULTS/jest.json"

log "browser journeys (builds the portal and app-next first if needed)"
# app-next.e2e.ts serves packages/app-next's build (the new frontend system); `npm start` never needs
# it, so ensure_portal_built leaves it out and a clean clone has none until it is built here.
if ensure_portal_built &&
  ensure_built app-next app-next "$ROOT/packages/app-next" "$ROOT/plugins/catalyst-frontend" \
    "$ROOT/plugins/catalyst-common" "$ROOT/app-config.yaml" "$ROOT/yarn.lock"; then
  (cd "$ROOT" && yarn workspace @internal/e2e e2e --json --outputFile="$RESULTS/e2e.json") || true
  count_jest "$RESULTS/e2e.json"
else
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
