# Shared set-up for scripts/run.sh and scripts/test.sh: installs what Hearth needs on a Debian
# machine, idempotently, and says exactly what to run where it cannot install by itself.
# Sourced, not executed.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export HEARTH_CACHE=${HEARTH_CACHE:-$HOME/.cache/hearth}
# One target directory outside the clone, shared by every checkout on this machine.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HEARTH_CACHE/target}
# CI builds each fresh clone once: incremental state would only fill the disk (it grew to
# 22 GB in the shared target directory).
if [ "${CI:-}" = true ]; then
  export CARGO_INCREMENTAL=0
fi
export PATH="$HOME/.cargo/bin:$PATH"

# Pinned tools (see DESIGN.md, toolchain facts): trunk 0.22 needs a newer rustc than 1.95.
TRUNK_VERSION=0.21.14
TAURI_DRIVER_VERSION=2.1.0

# Debian packages: building and running the app (WebKitGTK and friends), the renderer (lavapipe),
# CJK fonts for zh-CN, speech, D-Bus (the Secret Service holds the session token), and the test
# rig (Xvfb, WebKitWebDriver, PostgreSQL, a gnome-keyring to be that Secret Service).
# They are installed without Recommends, so every package the app or the tests load is named
# here: speech-dispatcher-espeak-ng is only a Recommends of speech-dispatcher, and without it
# speech-dispatcher falls back to its generic module, which never reports the end of an
# utterance (every spoken step then times out).
RUN_PACKAGES=(
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev
  libayatana-appindicator3-dev libxdo-dev libssl-dev libdbus-1-dev
  mesa-vulkan-drivers fonts-noto-cjk speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
  libspeechd-dev libclang-dev
  dbus xvfb xauth
)
TEST_PACKAGES=(
  "${RUN_PACKAGES[@]}"
  python3 python3-venv webkit2gtk-driver postgresql pulseaudio pulseaudio-utils sox dunst imagemagick gnome-keyring
)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing Debian packages; run this, then try again:
  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
}

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "$REPO_ROOT/Cargo.lock"
}

# cargo install NAME VERSION BINARY [extra args]: only when BINARY is missing or another version.
ensure_cargo_tool() {
  local name=$1 version=$2 binary=$3; shift 3
  if command -v "$binary" >/dev/null && cargo install --list | grep -qxF "$name v$version:"; then
    return 0
  fi
  log "installing $name $version (one-off, a few minutes)"
  cargo install "$name" --version "$version" "$@"
}

ensure_rust_tools() {
  command -v cargo >/dev/null || die "Rust is not installed: see https://rustup.rs, then try again"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  ensure_cargo_tool trunk "$TRUNK_VERSION" trunk --locked
  # Not --locked: its lock file asks for a dependency version the registry no longer serves.
  ensure_cargo_tool wasm-bindgen-cli "$(locked_version wasm-bindgen)" wasm-bindgen
}

ensure_test_tools() {
  ensure_cargo_tool tauri-driver "$TAURI_DRIVER_VERSION" tauri-driver --locked
  # axe-core, injected into the app's webview by the end-to-end tests, pinned by
  # tests/package-lock.json.
  command -v npm >/dev/null || ensure_packages nodejs npm
  local wanted installed
  wanted=$(cd "$REPO_ROOT/tests" && node -p "require('./package.json').devDependencies['axe-core']")
  installed=$(cd "$REPO_ROOT/tests" && node -p "try { require('axe-core/package.json').version } catch { '' }")
  if [ "$wanted" != "$installed" ]; then
    log "installing the end-to-end tests' npm tools (axe-core)"
    (cd "$REPO_ROOT/tests" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export HEARTH_AXE_JS=$REPO_ROOT/tests/node_modules/axe-core/axe.min.js
}

# Builds the Leptos UI into src-ui/dist, which the shell embeds at compile time.
build_ui() {
  log "building the UI (trunk)"
  (cd "$REPO_ROOT/src-ui" && TRUNK_OFFLINE=true trunk build --locked "$@")
}

# The test command's Python tools (Schemathesis, aiosmtpd; pinned by
# scripts/test-tools/requirements.txt) in a virtual environment in the cache; prints its path.
ensure_python_test_tools() {
  local venv=$HEARTH_CACHE/venv-test-tools requirements=$REPO_ROOT/scripts/test-tools/requirements.txt
  local stamp=$venv/requirements.txt
  if ! cmp -s "$requirements" "$stamp"; then
    log "installing the test command's Python tools ($(grep -v '^#' "$requirements" | xargs))"
    rm -rf "$venv"
    # Checked by hand: this runs inside $(...), where `set -e` does not stop a failed step, and a
    # half-made environment must not be stamped as done.
    if ! python3 -m venv "$venv" >&2 ||
      ! "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2; then
      rm -rf "$venv"
      die "could not install the test command's Python tools (PyPI unreachable?)"
    fi
    cp "$requirements" "$stamp"
  fi
  printf '%s\n' "$venv"
}

# Starts a real SMTP server on loopback (aiosmtpd) that keeps what it receives in a Maildir, and
# exports HEARTH_TEST_SMTP_URL and HEARTH_TEST_MAILDIR for the tests. Stopped with the shell.
start_test_smtp() {
  local venv port
  venv=$(ensure_python_test_tools)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # A Maildir of this run's own (two runs at once must not read each other's mail), left for the
  # handler to create: it makes tmp/, new/ and cur/ only with the directory itself.
  HEARTH_TEST_MAILDIR=$(mktemp -d "${TMPDIR:-/tmp}/hearth-test-mail.XXXXXX")
  rmdir "$HEARTH_TEST_MAILDIR"
  export HEARTH_TEST_MAILDIR
  "$venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$HEARTH_TEST_MAILDIR" \
    >"$HEARTH_CACHE/test-smtp.log" 2>&1 &
  TEST_SMTP_PID=$!
  trap 'kill "$TEST_SMTP_PID" 2>/dev/null || true; rm -rf "$HEARTH_TEST_MAILDIR"' EXIT
  local deadline=$((SECONDS + 30))
  until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "the test SMTP server did not start; see $HEARTH_CACHE/test-smtp.log"
    sleep 0.2
  done
  export HEARTH_TEST_SMTP_URL=smtp://127.0.0.1:$port
}

# Starts a PostgreSQL server on loopback with a role that may create test databases, and exports
# HEARTH_TEST_POSTGRES_URL. As root it uses Debian's cluster; otherwise a private one in the cache.
start_postgres() {
  local role=hearth_test password=hearth_test
  if [ "$(id -u)" -eq 0 ]; then
    local cluster version name status
    cluster=$(pg_lsclusters --no-header | head -n 1)
    [ -n "$cluster" ] || die "no PostgreSQL cluster: apt-get install postgresql creates one"
    read -r version name _port status _ <<<"$cluster"
    if [ "$status" != online ]; then
      log "starting PostgreSQL $version/$name"
      pg_ctlcluster "$version" "$name" start
    fi
    local port
    port=$(pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1==v && $2==n {print $3}')
    runuser -u postgres -- psql -p "$port" -q -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $role OWNER $role' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$role')\gexec
SQL
    export HEARTH_TEST_POSTGRES_URL="postgres://$role:$password@127.0.0.1:$port/$role"
  else
    local bin dir=$HEARTH_CACHE/postgres port=55432
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$bin" ] || die "PostgreSQL is not installed: sudo apt-get install -y postgresql"
    if [ ! -f "$dir/PG_VERSION" ]; then
      log "creating a private PostgreSQL cluster in $dir"
      mkdir -p "$dir"
      printf '%s\n' "$password" >"$HEARTH_CACHE/pgpass"
      "$bin/initdb" -D "$dir" -U "$role" --pwfile="$HEARTH_CACHE/pgpass" -A scram-sha-256 >/dev/null
    fi
    if ! "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
    fi
    export HEARTH_TEST_POSTGRES_URL="postgres://$role:$password@127.0.0.1:$port/postgres"
  fi
}

# wait_for_http URL SECONDS: polls until URL answers 2xx.
wait_for_http() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}
