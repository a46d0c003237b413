#!/usr/bin/env bash
# minify.sh — trunk's post_build hook (Trunk.toml): minifies every build's wasm-bindgen module
# (the lab's, the lesson build's, the on-demand bundles' and the lesson check's) and
# static/loader.js in a release build with terser, which scripts/tools.sh installs into .tools/. Trunk's own
# minifier cannot parse the module's `export default` and leaves it whole; minified, it is
# about 4 KB less of the first-load budget (scripts/size-budget.sh). Then gives each build's
# wasm imports and wasm-bindgen's closure shims short names, in the wasm and its module together
# (scripts/minify-imports.mjs: 4.4 KB gzip less of the lab's first load, 4.3 of a
# lesson's, 3.6 of the on-demand bundle; naming their module `a` and dropping the
# sections no browser reads, 0.3 KB more of each). Last, the stylesheets trunk copies as they are (a
# lesson's and the on-demand bundle's, whose comments are half of them) with clean-css at its
# safe level 1: 2.0 KB gzip less of a lesson's first load, 0.4 of the on-demand bundle.
set -euo pipefail

[[ "${TRUNK_PROFILE:-}" == release ]] || exit 0
terser="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node_modules/.bin/terser"
if [[ ! -x "$terser" ]]; then
  echo "minify: no terser in .tools/ (bash scripts/tools.sh installs it); the JS stays as it is" >&2
  exit 0
fi
shopt -s nullglob
for f in "$TRUNK_STAGING_DIR"/lbviz-*.js "$TRUNK_STAGING_DIR"/lesson.js "$TRUNK_STAGING_DIR"/views.js \
  "$TRUNK_STAGING_DIR"/lesson_check.js; do
  "$terser" "$f" --module --compress --mangle --output "$f.min"
  mv "$f.min" "$f"
done
# The Experiments view's no-modules bundle is a classic script: its global wasm_bindgen is
# kept (terser leaves a script's top-level names alone without --toplevel).
for f in "$TRUNK_STAGING_DIR"/experiments.js; do
  "$terser" "$f" --compress --mangle --output "$f.min"
  mv "$f.min" "$f"
done
# The loaders and the worker's script (classic scripts, their comments are most of them): the
# lab's is in the first load, the others in their bundles' gates.
for f in "$TRUNK_STAGING_DIR"/loader.js "$TRUNK_STAGING_DIR"/experiments-loader.js "$TRUNK_STAGING_DIR"/views-loader.js \
  "$TRUNK_STAGING_DIR"/check-loader.js "$TRUNK_STAGING_DIR"/experiments-worker.js; do
  "$terser" "$f" --compress --mangle --output "$f.min"
  mv "$f.min" "$f"
done
# Each build's wasm-bindgen module beside its wasm: the lab's (named with trunk's hash), the
# lesson build's, the on-demand bundles' and the lesson check's.
here="$(dirname "${BASH_SOURCE[0]}")"
for f in "$TRUNK_STAGING_DIR"/lbviz-*.js "$TRUNK_STAGING_DIR"/lesson.js "$TRUNK_STAGING_DIR"/experiments.js \
  "$TRUNK_STAGING_DIR"/views.js "$TRUNK_STAGING_DIR"/lesson_check.js; do
  node "$here/minify-imports.mjs" "${f%.js}_bg.wasm" "$f"
done
# The stylesheets trunk copies as they are (style.css, which trunk minifies itself, is not one).
cleancss="$(dirname "$terser")/cleancss"
if [[ ! -x "$cleancss" ]]; then
  echo "minify: no cleancss in .tools/ (bash scripts/tools.sh installs it); the CSS stays as it is" >&2
  exit 0
fi
for f in "$TRUNK_STAGING_DIR"/lesson.css "$TRUNK_STAGING_DIR"/on-demand.css; do
  "$cleancss" -O1 -o "$f.min" "$f"
  mv "$f.min" "$f"
done
