#!/usr/bin/env bash
# Runs a command with a PulseAudio server whose default output is a null sink, so speech can be
# recorded from `null.monitor` (parec) on machines without sound hardware. Run it inside
# dbus-run-session, with XDG_RUNTIME_DIR set. The server stops when the command ends.
set -euo pipefail
# A speech-dispatcher left from an earlier run would still talk to that run's (gone) sound
# server: start from none, and leave none behind.
stop_speech() {
  pkill -x speech-dispatch 2>/dev/null || true
  rm -rf "${XDG_RUNTIME_DIR:?}/speech-dispatcher"
}
stop_speech
pulseaudio --daemonize=yes --exit-idle-time=-1 -n \
  --load="module-null-sink sink_name=null" --load=module-native-protocol-unix 2>/dev/null
trap 'stop_speech; pulseaudio --kill 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  pactl info >/dev/null 2>&1 && break
  sleep 0.1
done
pactl set-default-sink null
"$@"
