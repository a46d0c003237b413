#!/usr/bin/env bash
# serve.sh — builds the lbviz web app in release mode, then serves it on
# http://127.0.0.1:8080 (LBVIZ_PORT overrides the port), rebuilding when sources change.
#
# Installs what is missing first (scripts/tools.sh: wasm32 target, trunk, the wasm-bindgen
# CLI of Cargo.lock, wasm-opt, terser) and fetches the crates the offline build needs; trunk
# then runs offline, with those tools from PATH, and never downloads anything. The build
# comes first and alone: when it fails, serve.sh says so with the build's first error and
# exits non-zero, and no server starts with nothing to serve. Stop it with Ctrl-C.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/tools.sh
source scripts/tools.sh

port="${LBVIZ_PORT:-8080}"

if [[ ! -f index.html ]]; then
  log "no index.html at the repository root: the web app is not there to serve yet"
  exit 1
fi

install_wasm_tools

mkdir -p target
build_log=target/serve-build.log
log "building the release app (the first build takes a few minutes; its output is also in $build_log)"
if ! build_release 2>&1 | tee "$build_log"; then
  {
    printf '\nserve.sh: the release build failed, so there is nothing to serve. Its first error:\n\n'
    # Cargo's and trunk's errors start with `error` (cargo's `error[E0308]:` too); the lines
    # after one say where and why.
    grep -m1 -A12 -E '^(error|\S+ ERROR)' "$build_log" || tail -n 20 "$build_log"
    printf '\n(the whole build output: %s)\n' "$build_log"
  } >&2
  exit 1
fi

printf '\nlbviz is served at http://127.0.0.1:%s/ (Ctrl-C stops it; a change to the sources rebuilds it)\n\n' "$port"
release_wasm_env
# No autoreload: serve exactly what the release build wrote, with no inline script added.
# Trunk builds once more as it starts; cargo finds everything fresh, so that is the
# wasm-bindgen and wasm-opt passes only.
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port "$port"
