#!/usr/bin/env bash
# Validate a Compose file offline (no Docker engine needed):
#   tools/validate-compose.sh [FILE...]          default: docker-compose.yml at the repo root
# Uses `docker compose` (v2 plugin) when present, else `docker-compose` (v1, Debian's package), installing
# Debian's docker-compose non-interactively when neither is there and we are root with apt-get.
# Exit codes: 0 valid, 1 invalid, 3 no compose tool could be had.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$#" -eq 0 ]; then
  set -- "$repo_root/docker-compose.yml"
fi

compose=()
find_compose() {
  if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
  fi
}

find_compose
if [ "${#compose[@]}" -eq 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "validate-compose: no compose tool found; installing Debian's docker-compose" >&2
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    apt-get update -qq >&2 || true
    apt-get install -y -qq --no-install-recommends docker-compose >&2 || true
    find_compose
  fi
fi
if [ "${#compose[@]}" -eq 0 ]; then
  echo "validate-compose: neither 'docker compose' nor 'docker-compose' is available" >&2
  exit 3
fi

empty_env="$(mktemp)"
trap 'rm -f "$empty_env"' EXIT

status=0
for file in "$@"; do
  # The project directory is the file's own folder, so relative paths (build contexts, bind mounts) resolve there.
  # Substitution reads only the file's defaults, not a developer's .env: validate what is committed.
  if (cd "$(dirname "$file")" && "${compose[@]}" --env-file "$empty_env" -f "$(basename "$file")" config -q); then
    echo "validate-compose: OK      $file (${compose[*]})"
  else
    echo "validate-compose: INVALID $file (${compose[*]})" >&2
    status=1
  fi
done
exit "$status"
