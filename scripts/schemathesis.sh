#!/usr/bin/env bash
# Runs schemathesis (from the venv scripts/setup.sh makes) against the real convivio-server on
# loopback, with a real device token: every operation of the published OpenAPI document
# (`/api/openapi.json`) is called with examples, boundary values and generated bodies, valid
# and invalid, and every answer is checked against the document (status, headers, body
# schema), and so is every refusal (an invalid body must be refused, a valid one accepted), and
# no answer may be a server error. Exits non-zero on any failure.
#
# Usage: scripts/schemathesis.sh [SERVER_BINARY]   (default: $CARGO_TARGET_DIR/debug/convivio-server)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER="${1:-${CARGO_TARGET_DIR:-$HOME/.cache/convivio/target}/debug/convivio-server}"
ST="${CONVIVIO_VENV:-$HOME/.cache/convivio/venv}/bin/st"
[ -x "$SERVER" ] || { echo "schemathesis: no server binary at $SERVER (make bins)"; exit 1; }
[ -x "$ST" ] || { echo "schemathesis: no schemathesis at $ST (scripts/setup.sh installs it)"; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

db="sqlite://$work/server.db"
# Enrolment unthrottled: schemathesis calls it many times from one address.
export CONVIVIO_ENROLMENT__ATTEMPTS_PER_MINUTE=1000000 RUST_LOG=warn
"$SERVER" --db "$db" admin create-agency "Valle Verde" >/dev/null
"$SERVER" --db "$db" serve --listen 127.0.0.1:0 >"$work/out" 2>"$work/err" &
server_pid=$!
for _ in $(seq 1 100); do
  addr="$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/out" "$work/err" 2>/dev/null | head -n 1 | sed 's/^[^:]*://' || true)"
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "${addr:-}" ] || { echo "schemathesis: the server did not start"; cat "$work/err"; exit 1; }
base="http://$addr"

# A real device: a code from the admin command, traded for a token over HTTP.
code="$("$SERVER" --db "$db" admin enrol --agency "Valle Verde" --caregiver "Schema Tester" --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')"
enrolled="$(curl -fsS -H 'content-type: application/json' \
  -d "{\"protocol\": 2, \"code\": \"$code\"}" "$base/api/v1/enrol")"
token="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["device_token"])' <<<"$enrolled")"
export CONVIVIO_ST_DEVICE_ID="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["device_id"])' <<<"$enrolled")"
# Sync bodies name that device (scripts/schemathesis_hooks.py).
export SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}"

cd "$work"
"$ST" run "$base/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-60}" \
  --workers 1 \
  --suppress-health-check all \
  --no-color \
  ${SCHEMATHESIS_ARGS:-}
