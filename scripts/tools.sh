#!/usr/bin/env bash
# tools.sh — installs, idempotently and pinned, every tool that building, serving and
# testing lbviz needs, and nothing that is already there at the right version:
#
#   rustfmt, clippy and    rustup components of the machine's toolchain (rust-src: the
#   rust-src               release wasm builds its own standard library, release_wasm_env)
#   wasm32 target          rustup target wasm32-unknown-unknown
#   trunk                  cargo install trunk $TRUNK_VERSION --locked (~11 min, once)
#   wasm-bindgen CLI       cargo install wasm-bindgen-cli, the exact version of the
#                          `wasm-bindgen` crate in Cargo.lock (it also gives
#                          wasm-bindgen-test-runner)
#   wasm-opt               npm package binaryen@$BINARYEN_VERSION, into .tools/
#   terser                 npm package terser@$TERSER_VERSION, into .tools/ (minifies the
#                          release build's JS: scripts/minify.sh)
#   cleancss               npm package clean-css-cli@$CLEANCSS_VERSION, into .tools/ (minifies
#                          the stylesheets trunk copies as they are: scripts/minify.sh)
#   --browser              Debian's chromium and chromium-driver (apt-get), and the
#                          npm dev dependencies of package.json (`npm ci`)
#   --node                 only the npm dev dependencies
#   --slurm                Debian's slurm-wlm (slurmctld, slurmd, sbatch: Slurm 22.05 on
#                          bookworm) and munge, for scripts/slurm-test.sh (install_slurm)
#   --parallel             Debian's GNU parallel, for scripts/parallel-test.sh
#                          (install_parallel)
#   --k8s                  PyPI's kubernetes-validate@$KUBERNETES_VALIDATE_VERSION (the
#                          Kubernetes API's JSON schemas) in a virtual environment in
#                          .tools/k8s-venv, for scripts/k8s-check.sh (install_k8s_validate)
#
# Nothing here downloads a prebuilt binary or a browser: crates.io, the npm registry and
# Debian's packages only. Trunk runs offline (TRUNK_OFFLINE) so it uses these tools from
# PATH instead of fetching its own, and so does its cargo: fetch_crates (called by
# build_release) fetches the crates first, the standard library's dependencies included.
#
# Usage:  bash scripts/tools.sh [--browser] [--node] [--slurm] [--parallel] [--k8s]
#         or `source scripts/tools.sh` and call tools_env / install_* yourself
#         (serve.sh and test.sh do that).
set -euo pipefail

TRUNK_VERSION=0.21.14
RUST_VERSION=1.95
BINARYEN_VERSION=132.0.0
TERSER_VERSION=5.51.2
CLEANCSS_VERSION=5.6.3
KUBERNETES_VALIDATE_VERSION=1.37.0
LBVIZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LBVIZ_TOOLS="$LBVIZ_ROOT/.tools"

log() { printf '[tools] %s\n' "$*" >&2; }

# Puts the tools on PATH and tells trunk never to download anything.
tools_env() {
  export PATH="$LBVIZ_TOOLS/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  export TRUNK_OFFLINE=true
  export TRUNK_SKIP_VERSION_CHECK=true
  # Panic messages in the wasm name their source file; write the crates' paths from the
  # registry and the checkout short (`crates/yew-0.23.0/src/...`), not this machine's home
  # directory: the same wasm on every machine, and 0.4 KB gzip less in the first load.
  local flags="--remap-path-prefix=$LBVIZ_ROOT=." index
  # (Each registry's sources unpack into registry/src/NAME as it is built; NAME is that of
  # registry/cache/NAME, there as soon as fetch_crates has fetched.)
  for index in "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*; do
    [[ -d "$index" ]] && flags+=" --remap-path-prefix=${index%/cache/*}/src/${index##*/}=crates"
  done
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$flags"
  # A user-level npmrc on some machines sets keys npm 11 warns about on every call.
  export npm_config_loglevel=error
  # Trunk reads NO_COLOR as its --no-color flag and rejects any value but true or false
  # (NO_COLOR=1 is the common form): say the same thing in the forms each tool accepts.
  if [[ -n "${NO_COLOR+set}" ]]; then
    unset NO_COLOR
    export TRUNK_COLOR=never CARGO_TERM_COLOR=never
  fi
}

# The settings of the release wasm (trunk build --release in serve.sh and test.sh, and
# wasm-breakdown.sh): cargo builds the standard library along with the app (-Zbuild-std, from
# the rust-src component), for sizes rather than speed (its optimize_for_size feature: heap-
# and merge sorts instead of pattern-defeating quick- and drift sorts, plainer integer
# formatting), and a panic stops the wasm at once with an `unreachable` trap
# (-Cpanic=immediate-abort), without formatting a message: the wasm then holds no panic
# messages, source paths nor the formatting code only they use. The loader's notice still
# shows ("Something went wrong and the lab stopped", with the trap as its error), as for any
# trap; tests and `trunk serve` without --release keep the messages, and so does a release
# build with LBVIZ_PANIC_MESSAGES=1 (to read a panic that only the release build meets).
# Together 23.0 KB gzip of the first load's 217.1 KB of wasm (docs/performance.md, "What the first load
# holds"). With messages gone, the source locations panics still carried (file, line and
# column of every `unwrap`, index and `expect` site) served no one: -Zlocation-detail=none
# drops them, 0.25 KB gzip less in the lab's wasm (218,058 -> 217,803 bytes on 2026-12-07).
#
# Both are unstable flags of rustc $RUST_VERSION, allowed on the stable toolchain by
# RUSTC_BOOTSTRAP=1 and set only in the environment of the release build: native builds,
# clippy and the wasm tests build as before. Call it in a subshell or the process that builds.
release_wasm_env() {
  tools_env
  if ! rustc --version | grep -q "^rustc $RUST_VERSION\."; then
    log "warning: the release wasm's flags are those of rustc $RUST_VERSION; this is $(rustc --version)"
  fi
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  if [[ "${LBVIZ_PANIC_MESSAGES:-}" == 1 ]]; then
    log "LBVIZ_PANIC_MESSAGES=1: the release wasm keeps its panic messages (about 18 KB gzip more)"
  else
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
  fi
}

# Fetches every crate the offline builds need into cargo's cache, idempotently (a warm cache
# makes it a few index look-ups): trunk builds with --offline (Trunk.toml), so nothing it
# needs may be left to fetch at build time. Two sets:
#   - the workspace's crates, for every platform, as Cargo.lock pins them;
#   - the standard library's own dependencies (the toolchain's library/Cargo.lock, resolved
#     the way -Zbuild-std resolves it), which the release wasm builds from source
#     (release_wasm_env). Cargo resolves that lock file whole, other platforms' crates
#     included, so their index entries must be cached even though only wasm32's are built.
# Without the second set a machine whose cargo cache has never built the standard library
# stops at `no matching package named 'moto-rt' found` (or 'dlmalloc').
fetch_crates() {
  log "fetching the crates the offline release build needs (the workspace's and the standard library's)"
  # (&& rather than set -e, which a caller's `if` would switch off.)
  (
    cd "$LBVIZ_ROOT" &&
      cargo fetch --locked --quiet &&
      RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
        cargo fetch --locked --quiet --target wasm32-unknown-unknown
  ) >&2
}

# The release build of the web app into dist/, as serve.sh and test.sh make it: the crates
# fetched first (fetch_crates), then `trunk build --release` offline with the release wasm's
# settings (release_wasm_env), in a subshell so they stay out of the caller's environment.
# Fails with trunk's exit code and its error when the build fails.
build_release() {
  fetch_crates || return
  (
    release_wasm_env &&
      cd "$LBVIZ_ROOT" &&
      trunk build --release "$@"
  )
}

# The version of the `wasm-bindgen` crate that Cargo.lock pins (empty if none yet).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$LBVIZ_ROOT/Cargo.lock"
}

install_rust_components() {
  local component
  for component in rustfmt clippy rust-src; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      log "adding the rustup component $component"
      rustup component add "$component" >&2
    fi
  done
}

install_wasm_tools() {
  tools_env
  install_rust_components
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown >&2
  fi

  if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
    log "installing trunk $TRUNK_VERSION from crates.io (about 11 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force >&2
  fi

  local wbg
  wbg="$(wasm_bindgen_version)"
  if [[ -z "$wbg" ]]; then
    log "Cargo.lock pins no wasm-bindgen yet: skipping wasm-bindgen-cli"
  elif ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbg" ||
    ! wasm-bindgen-test-runner --version 2>/dev/null | grep -q " $wbg\$"; then
    log "installing wasm-bindgen-cli $wbg (the version Cargo.lock pins)"
    cargo install wasm-bindgen-cli --version "$wbg" --force >&2
  fi

  if ! "$LBVIZ_TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null |
    grep -q "version ${BINARYEN_VERSION%%.*} "; then
    log "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
    mkdir -p "$LBVIZ_TOOLS"
    npm install --prefix "$LBVIZ_TOOLS" --save-exact --no-audit --no-fund \
      "binaryen@$BINARYEN_VERSION" >&2
  fi

  if ! "$LBVIZ_TOOLS/node_modules/.bin/terser" --version 2>/dev/null | grep -qx "terser $TERSER_VERSION"; then
    log "installing terser@$TERSER_VERSION into .tools/"
    mkdir -p "$LBVIZ_TOOLS"
    npm install --prefix "$LBVIZ_TOOLS" --save-exact --no-audit --no-fund \
      "terser@$TERSER_VERSION" >&2
  fi

  if ! "$LBVIZ_TOOLS/node_modules/.bin/cleancss" --version 2>/dev/null | grep -qx "$CLEANCSS_VERSION"; then
    log "installing clean-css-cli@$CLEANCSS_VERSION into .tools/"
    mkdir -p "$LBVIZ_TOOLS"
    npm install --prefix "$LBVIZ_TOOLS" --save-exact --no-audit --no-fund \
      "clean-css-cli@$CLEANCSS_VERSION" >&2
  fi
}

install_browser() {
  local missing=()
  local pkg
  for pkg in chromium chromium-driver; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    log "installing Debian's ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium chromium-driver >&2
  fi
}

# Installs the Debian packages named that are not installed yet (apt-get, as root).
install_debian() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
      log "cannot install Debian's ${missing[*]}: this needs root and apt-get"
      return 1
    fi
    log "installing Debian's ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# A one-node Slurm cluster's daemons and client (slurmctld, slurmd, sbatch, squeue, sacct)
# and munge, its authentication: scripts/slurm-test.sh starts them with a config of its own.
install_slurm() {
  install_debian slurm-wlm munge
}

# GNU parallel, for the README's one-machine sharded sweep (scripts/parallel-test.sh).
install_parallel() {
  install_debian parallel
}

# kubernetes-validate, pinned, in a virtual environment of its own (python3 -m venv).
install_k8s_validate() {
  local venv="$LBVIZ_TOOLS/k8s-venv"
  if ! "$venv/bin/kubernetes-validate" --version 2>/dev/null | grep -qF "$KUBERNETES_VALIDATE_VERSION"; then
    log "installing kubernetes-validate==$KUBERNETES_VALIDATE_VERSION into .tools/k8s-venv"
    python3 -c 'import ensurepip' 2>/dev/null || install_debian python3-venv
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2
  fi
}

# `npm ci` from package-lock.json, again only when the lock file changed since the last
# install (a stamp in node_modules/ remembers its hash).
install_node_deps() {
  tools_env
  local stamp="$LBVIZ_ROOT/node_modules/.lbviz-lock.sha256"
  local want
  want="$(sha256sum "$LBVIZ_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    log "installing the npm dev dependencies (npm ci)"
    (cd "$LBVIZ_ROOT" && npm ci --no-audit --no-fund >&2)
    printf '%s\n' "$want" >"$stamp"
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  browser=false
  node=false
  slurm=false
  parallel=false
  k8s=false
  for arg in "$@"; do
    case "$arg" in
      --browser) browser=true ;;
      --node) node=true ;;
      --slurm) slurm=true ;;
      --parallel) parallel=true ;;
      --k8s) k8s=true ;;
      -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
      *)
        log "unknown argument: $arg (try --help)"
        exit 2
        ;;
    esac
  done
  install_wasm_tools
  if $browser; then install_browser; fi
  if $browser || $node; then install_node_deps; fi
  if $slurm; then install_slurm; fi
  if $parallel; then install_parallel; fi
  if $k8s; then install_k8s_validate; fi
  log "tools ready"
fi
