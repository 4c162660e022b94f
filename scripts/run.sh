#!/usr/bin/env bash
# Runs Hearth's main job: a local server on an embedded SQLite with demo content (the shipped
# challenges and rewards, and a demo household whose sign-ins it prints), and the desktop app
# against it. Installs what it needs first. Stops the server when the app closes.
#
#   HEARTH_PORT      the local server's port (default 8787)
#   HEARTH_DATA_DIR  where the server keeps its database (default ~/.local/share/hearth-demo)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

ensure_packages "${RUN_PACKAGES[@]}"
ensure_rust_tools
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  die "no display to open the app's window on; on a headless machine run: xvfb-run -a $0"
fi

build_ui
log "building the server and the app (debug)"
cargo build --locked -p hearth-server -p hearth-app

port=${HEARTH_PORT:-8787}
data_dir=${HEARTH_DATA_DIR:-$HOME/.local/share/hearth-demo}
mkdir -p "$data_dir"
url="http://127.0.0.1:$port/"
if curl -fsS -o /dev/null "${url}health" 2>/dev/null; then
  die "something already answers on port $port; stop it or set HEARTH_PORT"
fi

log "adding the demo household (once per database)"
"$CARGO_TARGET_DIR/debug/hearth-server" --database-url "sqlite://$data_dir/server.db" \
  --media-dir "$data_dir/media" demo

log "starting the local server on $url (database and photos: $data_dir)"
log "mail it sends (password-reset codes) is written to $data_dir/mail, one .eml file each"
"$CARGO_TARGET_DIR/debug/hearth-server" --database-url "sqlite://$data_dir/server.db" \
  --listen "127.0.0.1:$port" --media-dir "$data_dir/media" --mail-dir "$data_dir/mail" &
server_pid=$!
trap 'kill -TERM $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true' EXIT
wait_for_http "${url}health" 30 || die "the server did not become healthy; see its log above"

log "opening Hearth"
HEARTH_SERVER_URL=$url HEARTH_REGISTER_LINKS=1 "$CARGO_TARGET_DIR/debug/hearth-app"
