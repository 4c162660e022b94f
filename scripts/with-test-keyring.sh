#!/usr/bin/env bash
# Runs a command with a Secret Service (gnome-keyring) on the current D-Bus session, holding a
# throwaway login keyring in a temporary directory, so the app's session tokens go to real
# secure storage in tests without touching the user's own keyrings. Run it inside
# dbus-run-session.
set -euo pipefail
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home"
# --unlock reads the login keyring's password from stdin, creating the keyring (the Secret
# Service's default collection) on first use.
printf 'hearth-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
