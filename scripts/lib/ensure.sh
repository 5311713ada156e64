# shellcheck shell=bash
# Shared by start.sh and test.sh: install what a fresh machine lacks, skip what is already there.
# Sourced, not run; expects ROOT to be the repository root.

log() { printf 'catalyst: %s\n' "$*"; }

# Node 22 + yarn 4 into .tools/ (see setup.sh), then put them on PATH for this shell.
ensure_toolchain() {
  bash "$ROOT/scripts/setup.sh" >/dev/null
  # shellcheck disable=SC1091
  source "$ROOT/.tools/env.sh"
}

# Debian packages, installed only when the command is missing. Runs apt as root or through sudo.
# Each argument is <package>:<command>, or <package>:<path glob> for what is not on PATH (the
# PostgreSQL server lives in /usr/lib/postgresql/<version>/bin, haproxy in /usr/sbin, which a
# non-root PATH lacks).
ensure_apt() {
  local missing=()
  local pkg cmd
  for spec in "$@"; do
    pkg=${spec%%:*}
    cmd=${spec#*:}
    if [[ "$cmd" == */* ]]; then
      compgen -G "$cmd" >/dev/null || missing+=("$pkg")
    else
      command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root to install ${missing[*]} (apt-get)"; return 1; }
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The hash of everything that decides node_modules: the lockfile, every package.json, .yarnrc.yml.
install_fingerprint() {
  (cd "$ROOT" && cat yarn.lock .yarnrc.yml package.json packages/*/package.json plugins/*/package.json 2>/dev/null | sha256sum | cut -c1-16)
}

ensure_yarn_install() {
  local stamp="$ROOT/node_modules/.catalyst-install"
  local want
  want=$(install_fingerprint)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing dependencies (yarn install --immutable; about 2-3 minutes on a fresh machine)"
  (cd "$ROOT" && yarn install --immutable >"$ROOT/.tools/yarn-install.log" 2>&1) || {
    tail -n 30 "$ROOT/.tools/yarn-install.log"
    log "yarn install failed (full log: .tools/yarn-install.log)"
    return 1
  }
  echo "$want" >"$stamp"
}

# Newest modification time (seconds) of the files under the given paths.
newest_mtime() {
  find "$@" -type f -not -path '*/node_modules/*' -not -path '*/dist/*' -not -path '*/dist-types/*' \
    -printf '%T@\n' 2>/dev/null | sort -n | tail -1 | cut -d. -f1
}

# Rebuilds a workspace when any of its inputs changed since the last successful build.
#   ensure_built <stamp-name> <yarn workspace> <input paths...>
ensure_built() {
  local name=$1 workspace=$2
  shift 2
  local stamp="$ROOT/.tools/build-$name.stamp"
  local newest
  newest=$(newest_mtime "$@")
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" -ge "${newest:-0}" ]; then return 0; fi
  log "building $name"
  (cd "$ROOT" && yarn workspace "$workspace" build >"$ROOT/.tools/build-$name.log" 2>&1) || {
    tail -n 40 "$ROOT/.tools/build-$name.log"
    log "building $name failed (full log: .tools/build-$name.log)"
    return 1
  }
  echo "${newest:-0}" >"$stamp"
}

# Everything `npm start` needs built: the app (which bundles catalyst-frontend and catalyst-common),
# the devcluster, the identity provider and the launcher. The backend runs from source through
# Backstage's node transform.
ensure_portal_built() {
  ensure_built app app \
    "$ROOT/packages/app" "$ROOT/plugins/catalyst-frontend" "$ROOT/plugins/catalyst-common" \
    "$ROOT/app-config.yaml" "$ROOT/yarn.lock"
  ensure_built devcluster @internal/devcluster "$ROOT/packages/devcluster" "$ROOT/yarn.lock"
  ensure_built idp @internal/idp "$ROOT/packages/idp" "$ROOT/yarn.lock"
  ensure_built portal @internal/portal "$ROOT/packages/portal" "$ROOT/yarn.lock"
}
