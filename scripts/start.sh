#!/usr/bin/env bash
# `npm start`: the whole embedded portal on http://localhost:7007.
# Installs what is missing (Node 22 + yarn into .tools/, Debian nats-server, dependencies), builds what
# changed, then hands over to the launcher, which starts nats-server, the devcluster and the backend
# serving the app, and stops them all on Ctrl-C. A second start reuses the data dir (.catalyst/).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/ensure.sh
source "$ROOT/scripts/lib/ensure.sh"

ensure_toolchain
ensure_apt nats-server:nats-server
ensure_yarn_install
ensure_portal_built
exec node "$ROOT/packages/portal/bin/catalyst-portal.js" start
