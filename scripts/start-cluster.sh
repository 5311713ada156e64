#!/usr/bin/env bash
# `npm run start:cluster`: the production topology rehearsed on this machine, on loopback ports —
# PostgreSQL, a three-node NATS JetStream cluster, a Git host (git http-backend), two backend
# replicas and haproxy in front on http://localhost:7100. Installs what is missing like `npm start`,
# then hands over to the launcher (packages/portal, `catalyst-portal cluster`). Everything is kept in
# .catalyst-cluster/ (CATALYST_CLUSTER_DIR); a second start reuses it. The embedded default
# (`npm start`) is unchanged.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/ensure.sh
source "$ROOT/scripts/lib/ensure.sh"

ensure_toolchain
ensure_apt nats-server:nats-server git:git haproxy:/usr/sbin/haproxy 'postgresql:/usr/lib/postgresql/*/bin/initdb'
ensure_yarn_install
ensure_portal_built
exec node "$ROOT/packages/portal/bin/catalyst-portal.js" cluster
