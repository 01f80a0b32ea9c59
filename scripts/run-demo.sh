#!/usr/bin/env bash
# `make run`: the agency's server on loopback (SQLite) and the app, already enrolled with it.
#
# First run: starts convivio-server, creates a demo agency, a staff member `demo` (admin, with a
# generated password kept in the demo folder), a seeded population of caregivers for the staff
# dashboard (`admin seed`, 40 caregivers x 40 entries, seed 1), a demo diary with a few entries
# (with the `convivio` CLI, crates/cli), a one-time code for a demo caregiver, and enrols the
# diary with it.
# Later runs reuse all of it: the diary stays enrolled, the server keeps what it received, and
# the dashboard's address, user and password are printed again.
# The app opens on the diary's unlock screen; the passphrase is printed below. When the app
# exits (or this script is stopped), the server stops too.
#
# Settings: CONVIVIO_DEMO_DIR (default ./data/demo), CONVIVIO_DEMO_PORT (default 8787),
# CARGO_TARGET_DIR (where `make bins app` put the binaries).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$HOME/.cache/convivio/target}"
APP="$TARGET/debug/convivio-app"
SERVER="$TARGET/debug/convivio-server"
CLI="$TARGET/debug/convivio"

DEMO="${CONVIVIO_DEMO_DIR:-$ROOT/data/demo}"
PORT="${CONVIVIO_DEMO_PORT:-8787}"
URL="http://127.0.0.1:$PORT"
DIARY="$DEMO/diary"
DB="sqlite://$DEMO/server.db"
LOG="$DEMO/server.log"
AGENCY="Valle Verde (demo)"
CAREGIVER="Maria Rossi (demo)"
PASSPHRASE="a quiet walk to the village"
STAFF_USER="demo"
STAFF_PASSWORD_FILE="$DEMO/staff-password"
SEED_CAREGIVERS=40
SEED_ENTRIES=40

say() { printf 'run: %s\n' "$*"; }
die() { printf 'run: %s\n' "$*" >&2; exit 1; }

for bin in "$APP" "$SERVER" "$CLI"; do
  [ -x "$bin" ] || die "$bin is missing; build it with \`make app bins\` (or just \`make run\`)"
done

# The server reads the CONVIVIO_<KEY> variables that name its own settings (CONVIVIO_DB, ...):
# it gets none, so a developer's shell cannot point the demo server elsewhere.
SERVER_ENV=()
for name in $(compgen -e); do
  if [[ $name == CONVIVIO_* ]]; then SERVER_ENV+=(-u "$name"); fi
done
server_cmd() {
  env "${SERVER_ENV[@]}" "$SERVER" --db "$DB" "$@"
}

diary_cmd() {
  CONVIVIO_PASSPHRASE="$PASSPHRASE" "$CLI" --diary "$DIARY" "$@"
}

# One field of a one-line JSON object (node is already needed for the UI).
json_field() {
  node -e 'let s = "";
    process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const v = JSON.parse(s)[process.argv[1]];
      process.stdout.write(v === undefined || v === null ? "" : String(v));
    });' "$1"
}

# Whether something on 127.0.0.1:$PORT answers /healthz with 200 (bash's own TCP, no curl).
# In a subshell, so the connection and its redirections never touch this script's own.
healthy() {
  local status
  status="$(
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
    printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    IFS= read -r -t 5 line <&3 && printf '%s' "$line"
  )" || return 1
  [[ $status == *" 200 "* ]]
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

SERVER_PID=""
APP_PID=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    # The app runs in its own process group (with Xvfb when there is no display): end all of it.
    kill -TERM -- "-$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    say "stopping the server"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$DEMO"

# --- the agency ------------------------------------------------------------------------------
if [ ! -f "$DEMO/agency.json" ]; then
  if server_cmd admin create-agency "$AGENCY" --json >"$DEMO/agency.json.new" 2>"$DEMO/agency.err"; then
    mv "$DEMO/agency.json.new" "$DEMO/agency.json"
    say "created the demo agency '$AGENCY'"
  elif grep -qi "already\|conflict\|exists" "$DEMO/agency.err"; then
    echo '{}' >"$DEMO/agency.json"
  else
    cat "$DEMO/agency.err" >&2
    die "could not create the demo agency"
  fi
  rm -f "$DEMO/agency.json.new" "$DEMO/agency.err"
fi

# --- the staff member and the seeded population, for the dashboard ---------------------------
if [ ! -f "$STAFF_PASSWORD_FILE" ]; then
  password="$(node -e 'process.stdout.write(require("crypto").randomBytes(15).toString("base64url"))')"
  if printf '%s' "$password" | server_cmd admin create-staff --agency "$AGENCY" --username "$STAFF_USER" \
    --role admin >/dev/null 2>"$DEMO/staff.err"; then
    (umask 077 && printf '%s\n' "$password" >"$STAFF_PASSWORD_FILE")
    say "created the staff member '$STAFF_USER' (admin)"
  elif grep -qi "already exists" "$DEMO/staff.err"; then
    say "the staff member '$STAFF_USER' exists but $STAFF_PASSWORD_FILE is gone; delete $DEMO to start over"
  else
    cat "$DEMO/staff.err" >&2
    die "could not create the demo staff member"
  fi
  rm -f "$DEMO/staff.err"
fi
if [ ! -f "$DEMO/seed.json" ]; then
  say "seeding the demo agency: $SEED_CAREGIVERS caregivers x $SEED_ENTRIES entries (seed 1)"
  if server_cmd admin seed --agency "$AGENCY" --caregivers "$SEED_CAREGIVERS" \
    --entries-per-caregiver "$SEED_ENTRIES" --seed 1 --json >"$DEMO/seed.json.new" 2>"$DEMO/seed.err"; then
    mv "$DEMO/seed.json.new" "$DEMO/seed.json"
  elif grep -qi "already exists" "$DEMO/seed.err"; then
    echo '{}' >"$DEMO/seed.json"
  else
    cat "$DEMO/seed.err" >&2
    die "could not seed the demo agency"
  fi
  rm -f "$DEMO/seed.json.new" "$DEMO/seed.err"
fi
staff_password="(unknown: delete $DEMO to start over)"
[ -f "$STAFF_PASSWORD_FILE" ] && staff_password="$(cat "$STAFF_PASSWORD_FILE")"

# --- the server ------------------------------------------------------------------------------
if port_taken; then
  die "127.0.0.1:$PORT is already in use (a server left from an earlier run?); stop it, or set CONVIVIO_DEMO_PORT"
fi
say "starting the agency server on $URL (log: $LOG)"
# A simple command, so that $! is the server itself (env execs it), not a subshell.
env "${SERVER_ENV[@]}" "$SERVER" --db "$DB" serve --listen "127.0.0.1:$PORT" >>"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  healthy && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$LOG" >&2; die "the server stopped at start"; }
  sleep 0.1
done
healthy || die "the server did not answer $URL/healthz within 30 s"

# --- the diary -------------------------------------------------------------------------------
if [ ! -f "$DIARY/diary.key" ]; then
  say "creating the demo diary"
  mkdir -p "$DIARY"
  diary_cmd init >/dev/null
  diary_cmd add note --text "Quiet morning. Mamma ate all her breakfast." --mood 4 --burden 2 \
    --sharing agency >/dev/null
  diary_cmd add experience --service "Home nursing" --rating 2 --factor mistake \
    --went-badly "The nurse came two hours late and nobody called." --sharing agency >/dev/null
  diary_cmd add trust --target agency --score 4 --reason "They called back the same day." \
    --factor listened --sharing agency >/dev/null
  diary_cmd add need --category respite --urgency high \
    --text "I need a free afternoon next week." --sharing agency >/dev/null
  diary_cmd add note --text "Tired today. Only for me." --mood 2 --burden 4 --sharing private >/dev/null
fi

# Enrolled with this very server? Otherwise (first run, another port, a server database that was
# deleted, a revoked device) get a new code and enrol (again).
status="$(diary_cmd status --json)"
state="$(json_field state <<<"$status")"
enrolled_with="$(json_field server_url <<<"$status")"
if [ "$state" != "active" ] || [ "$enrolled_with" != "$URL" ]; then
  code="$(server_cmd admin enrol --agency "$AGENCY" --caregiver "$CAREGIVER" --json | json_field code)"
  again=()
  [ "$state" = "not_enrolled" ] || again=(--again)
  diary_cmd enrol --server "$URL" --code "$code" "${again[@]}"
fi

# --- the app ---------------------------------------------------------------------------------
cat <<EOF

  Convivio demo
  ------------------------------------------------------------
  agency server   $URL  ($AGENCY)
  diary folder    $DIARY
  passphrase      $PASSPHRASE

  Staff dashboard: $URL/staff  user: $STAFF_USER  password: $staff_password
  (the seeded caregivers, their entries and the planted early warnings are listed in
  $DEMO/seed.json)

  Type the passphrase to open the diary. The app syncs with the server on its own; the
  "Sync now" button syncs at once. Staff commands, e.g. revoking this device:
    $SERVER --db $DB admin stats --json
  Closing the app stops the server.

EOF

launcher=()
if [ -z "${DISPLAY:-}" ]; then
  say "no display: the app runs on a virtual one (Xvfb)"
  launcher=(xvfb-run -a -s "-screen 0 1280x800x24")
fi
# Its own process group, so stopping this script stops the app (and its Xvfb) too.
CONVIVIO_DATA_DIR="$DIARY" setsid "${launcher[@]}" "$APP" &
APP_PID=$!
status=0
wait "$APP_PID" || status=$?
APP_PID=""
exit "$status"
