#!/usr/bin/env bash
# Runs every Hearth test: formatting and lints, the domain's unit and property tests, the server's
# integration suite on SQLite and on PostgreSQL, the shell on Tauri's mock runtime, the
# end-to-end test of the real app in WebKitWebDriver under Xvfb, and an API fuzzer over the served
# OpenAPI document on both databases. Installs what it needs first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_packages "${TEST_PACKAGES[@]}"
ensure_rust_tools
ensure_test_tools
ensure_python_test_tools >/dev/null
start_postgres
start_test_smtp

# XDG_RUNTIME_DIR silences WebKit's and wgpu's warnings on machines without a login session.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$HEARTH_CACHE/runtime}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export HEARTH_E2E_ARTIFACTS=${HEARTH_E2E_ARTIFACTS:-$CARGO_TARGET_DIR/e2e-artifacts}
rm -rf "$HEARTH_E2E_ARTIFACTS"

log "checking formatting"
cargo fmt --all --check

log "checking the layers (no new import circles between modules)"
python3 scripts/import-cycles.py --allow scripts/import-cycles.allow

build_ui

log "building the workspace (debug)"
cargo build --locked --workspace --all-targets

log "linting"
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked -p hearth-ui --target wasm32-unknown-unknown -- -D warnings

log "running the tests"
export HEARTH_SERVER_BIN=$CARGO_TARGET_DIR/debug/hearth-server
export HEARTH_APP_BIN=$CARGO_TARGET_DIR/debug/hearth-app
results=$HEARTH_CACHE/test-output.log
# --no-fail-fast: one failing test binary must not hide the others (cargo would skip every later
# one, the end-to-end tests included); the status is kept and decided after the summary.
status=0
xvfb-run -a -s "-screen 0 1920x1080x24" dbus-run-session -- \
  scripts/with-test-keyring.sh scripts/with-test-audio.sh env NO_AT_BRIDGE=1 \
  cargo test --locked --workspace --no-fail-fast 2>&1 | tee "$results" || status=$?
log "screenshots and logs of the end-to-end run: $HEARTH_E2E_ARTIFACTS"
# The API against its own document, on both databases (scripts/api-fuzz.sh says what it checks).
fuzz_status=0
for backend in sqlite postgres; do
  scripts/api-fuzz.sh "$backend" || fuzz_status=1
done
# One closing line over every test binary (cargo prints one per binary, the last often a
# doc-test run with nothing in it). A binary that failed to build or crashed prints no
# "test result" line: the status above still fails the run.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
     END { printf "all tests: %d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }' "$results" || status=1
if [ "$fuzz_status" -eq 0 ]; then
  echo "API fuzzing: no findings on SQLite and PostgreSQL"
else
  echo "API fuzzing: findings (see above)"
  status=1
fi
exit "$status"
