#!/usr/bin/env bash
# Fuzzes the API against its own document: starts hearth-server on a fresh database, signs up an
# account and runs Schemathesis (scripts/test-tools/) over every operation the served
# /openapi.json lists. Any request the document allows but the server refuses, any request it
# forbids but the server accepts, any undocumented status or body and any 5xx fails the run.
#
#   scripts/api-fuzz.sh sqlite|postgres
#
# The test command runs it on both databases. It needs HEARTH_SERVER_BIN (a built hearth-server)
# and, for postgres, HEARTH_TEST_POSTGRES_URL (start_postgres in lib.sh sets both up).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

backend=${1:?usage: api-fuzz.sh sqlite|postgres}
server=${HEARTH_SERVER_BIN:-$CARGO_TARGET_DIR/debug/hearth-server}
[ -x "$server" ] || die "no hearth-server at $server: cargo build -p hearth-server"
fuzzer=$(ensure_python_test_tools)/bin/schemathesis

work=$(mktemp -d "${TMPDIR:-/tmp}/hearth-api-fuzz.XXXXXX")
database=
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ -n "$database" ]; then
    psql "$HEARTH_TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $database" >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

case $backend in
  sqlite) url="sqlite://$work/hearth.db" ;;
  postgres)
    : "${HEARTH_TEST_POSTGRES_URL:?start_postgres (scripts/lib.sh) sets it}"
    database=hearth_api_fuzz_$$
    psql "$HEARTH_TEST_POSTGRES_URL" -q -c "CREATE DATABASE $database" >/dev/null
    url="${HEARTH_TEST_POSTGRES_URL%/*}/$database"
    ;;
  *) die "unknown database: $backend (sqlite or postgres)" ;;
esac

# A free port from the kernel, so two runs (or a developer's own server) never collide.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
# Rate limits high enough that the fuzzer reaches the handlers instead of 429s (which the
# document lists, so they would pass, but test nothing).
HEARTH_LISTEN=127.0.0.1:$port RUST_LOG=warn "$server" --database-url "$url" --media-dir "$work/media" \
  --auth-burst 1000000 --write-burst 1000000 >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_http "$base/health" 60 || { cat "$work/server.log" >&2; die "hearth-server did not start"; }

credentials='"email":"fuzzer@example.com","password":"fuzzing all day"'
curl -fsS -o /dev/null -H 'content-type: application/json' -d "{$credentials,\"displayName\":\"Fuzzer\"}" \
  "$base/v1/auth/sign-up"
token=$(curl -fsS -H 'content-type: application/json' -d "{$credentials}" "$base/v1/auth/sign-in" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["session"]["token"])')

log "fuzzing the API on $backend ($("$fuzzer" --version))"
status=0
(cd "$work" && "$fuzzer" --config-file "$REPO_ROOT/scripts/test-tools/schemathesis.toml" \
  run "$base/openapi.json" -H "Authorization: Bearer $token" \
  --phases coverage,fuzzing --no-color) || status=$?
if [ "$status" -ne 0 ]; then
  log "the server's log of the failed run:"
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
