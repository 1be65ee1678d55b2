#!/usr/bin/env bash
# Make sure the Debian packages the test suite needs are installed:
# MariaDB (throwaway test server), Redis (the Celery worker test), Chromium (browser tests) and WeasyPrint's libraries.
# Installs only what is missing, and only as root; otherwise lists what is missing and fails.
set -euo pipefail

PACKAGES=(
    mariadb-server
    redis-server
    chromium
    chromium-common
    libpango-1.0-0
    libpangoft2-1.0-0
    libharfbuzz-subset0
)

log() { printf 'install-system-deps: %s\n' "$*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1; then
    log "dpkg-query not found: not a Debian system; please install the equivalents of: ${PACKAGES[*]}"
    exit 1
fi

is_installed() {
    dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx 'installed'
}

missing=()
for package in "${PACKAGES[@]}"; do
    is_installed "$package" || missing+=("$package")
done

if (( ${#missing[@]} == 0 )); then
    log "all present: ${PACKAGES[*]}"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    log "missing Debian packages: ${missing[*]}"
    log "install them as root: apt-get install ${missing[*]}"
    exit 1
fi

log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# Keep the package scripts from starting a system-wide MariaDB service:
# the tests start their own server (scripts/mariadb.sh).
POLICY=/usr/sbin/policy-rc.d
created_policy=""
if [[ ! -e "$POLICY" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    created_policy=1
fi
cleanup() { if [[ -n "$created_policy" ]]; then rm -f "$POLICY"; fi; }
trap cleanup EXIT

apt-get update
apt-get install -y "${missing[@]}"

still_missing=()
for package in "${missing[@]}"; do
    is_installed "$package" || still_missing+=("$package")
done
if (( ${#still_missing[@]} > 0 )); then
    log "still missing after apt-get install: ${still_missing[*]}"
    exit 1
fi
log "installed: ${missing[*]}"
