#!/usr/bin/env bash
# serve.sh — builds the lbviz web app in release mode and serves it on
# http://127.0.0.1:8080 (LBVIZ_PORT overrides the port), rebuilding when sources change.
#
# Installs what is missing first (scripts/tools.sh: wasm32 target, trunk, the
# wasm-bindgen CLI of Cargo.lock, wasm-opt); trunk runs offline, with those tools from
# PATH, and never downloads anything. Stop it with Ctrl-C.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/tools.sh
source scripts/tools.sh

port="${LBVIZ_PORT:-8080}"

install_wasm_tools
release_wasm_env

if [[ ! -f index.html ]]; then
  log "no index.html at the repository root: the web app is not there to serve yet"
  exit 1
fi

printf '\nlbviz will be served at http://127.0.0.1:%s/ once the release build is done\n\n' "$port"
# No autoreload: serve exactly what the release build wrote, with no inline script added.
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port "$port"
