#!/usr/bin/env bash
# Installs what building, running and testing Convivio needs, and only what is missing, so a
# second run takes seconds. Safe on a fresh Debian 12 machine (as root, or with sudo) and on a
# developer's machine where everything is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

# Root runs apt directly; anyone else goes through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages -------------------------------------------------------------------------
# Tauri's webview (WebKitGTK) and the toolchain to link it; Xvfb and the WebKit WebDriver for
# headless runs and the app's end-to-end test; PostgreSQL for the server's tests; Chromium for
# the staff dashboard's browser tests (playwright-core drives it: never a downloaded browser).
APT_PACKAGES=(
  libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev
  xvfb xauth webkit2gtk-driver postgresql chromium
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- PostgreSQL running ----------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1; then
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 || { say "PostgreSQL did not start"; exit 1; }
fi

# --- PostgreSQL: user postgres without a password, on loopback only --------------------------
# The server's tests connect as postgres@127.0.0.1 with no password. Debian's default asks for
# one there, so when (and only when) that connection is refused, a `trust` rule for user
# postgres from 127.0.0.1 and ::1 is put first in pg_hba.conf (rules match first to last) and
# the server reloads. Nothing changes where the connection already works.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -u postgres "$@"); fi
}
pg_loopback_ok() {
  PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -U postgres -w -tAq -c 'select 1' >/dev/null 2>&1
}
HBA_MARK="# convivio setup.sh: user postgres without a password on loopback (tests only)"
if ! pg_loopback_ok; then
  hba="$(as_postgres psql -tAq -c 'show hba_file' 2>/dev/null || true)"
  if [ -n "$hba" ]; then
    if ! as_root grep -qF "$HBA_MARK" "$hba"; then
      say "letting user postgres connect without a password on 127.0.0.1 ($hba)"
      tmp="$(mktemp)"
      { printf '%s\n' "$HBA_MARK" "host all postgres 127.0.0.1/32 trust" "host all postgres ::1/128 trust" ""
        as_root cat "$hba"; } >"$tmp"
      # Same owner and mode as the file it replaces, swapped in with a rename.
      as_root install -o "$(as_root stat -c %U "$hba")" -g "$(as_root stat -c %G "$hba")" \
        -m "$(as_root stat -c %a "$hba")" "$tmp" "$hba.convivio-new"
      as_root mv "$hba.convivio-new" "$hba"
      rm -f "$tmp"
    fi
    as_postgres psql -tAq -c 'select pg_reload_conf()' >/dev/null
  fi
  pg_loopback_ok ||
    say "warning: user postgres still cannot connect to 127.0.0.1 without a password; the server's PostgreSQL tests will fail (see pg_hba.conf)"
fi

# --- npm packages ----------------------------------------------------------------------------
# `npm ci` only when node_modules is missing or the lockfile changed since the last install;
# the stamp inside node_modules records that last install.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.convivio-npm-ci"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    say "installing npm packages in ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
}
npm_ci "$ROOT/ui"
npm_ci "$ROOT/tests/e2e-app"
npm_ci "$ROOT/tests/e2e-staff"

# --- tauri-driver ----------------------------------------------------------------------------
# The WebDriver proxy between the e2e test and WebKitWebDriver. Built from crates.io (~1 min).
if ! command -v tauri-driver >/dev/null 2>&1; then
  say "installing tauri-driver"
  cargo install tauri-driver --locked --version '^2' --quiet
fi

# --- schemathesis ----------------------------------------------------------------------------
# The API fuzzer for `make test-api` (scripts/schemathesis.sh), in a venv of its own outside
# the clone, pinned by scripts/schemathesis-requirements.txt; reinstalled when that changes.
VENV="${CONVIVIO_VENV:-$HOME/.cache/convivio/venv}"
REQUIREMENTS="$ROOT/scripts/schemathesis-requirements.txt"
if [ ! -x "$VENV/bin/st" ] || [ ! -f "$VENV/.convivio-requirements" ] ||
  ! cmp -s "$REQUIREMENTS" "$VENV/.convivio-requirements"; then
  say "installing schemathesis in $VENV"
  # Debian's own Python keeps venv (with pip) in a package of its own.
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/.convivio-requirements"
fi
