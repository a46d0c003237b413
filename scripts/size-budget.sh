#!/usr/bin/env bash
# size-budget.sh — the first-load budget: every file dist/index.html makes the browser fetch
# at start (the page, its CSS and icon, loader.js, the wasm-bindgen module and the wasm it
# names), gzip-compressed (gzip -9, as a static server would send it), at most 233 KB in all
# (README, "What the first load holds": scripts/wasm-breakdown.sh says what the wasm spends.
# It was 249.5 KB before issue 9 and 214.4 KB after lbcore::decimal; the truthful display and
# the embeds that fit brought it to 224.4, the host-page messages (src/host.rs) to 231.3; the
# aim is 210).
# Prints each file's raw and gzip size and the total; exits 1 when over budget.
#
# Then the on-demand bundle (src/on_demand.rs), which loads only when a reader opens the
# Experiments view, reads or saves a scenario file or opens Share (its loader, its no-modules
# bundle and wasm, the view's worker script and the embed builder's CSS): at most 210 KB gzip more (200 while it held the
# Experiments view alone, 205 once the scenario file's JSON and the hashing view moved into it
# from the first load; the work merged on 2026-11-23 took it to 206.2).
#
# Usage:  bash scripts/size-budget.sh [DIST]   (test.sh runs it after the release build)
set -euo pipefail

DIST="${1:-$(dirname "${BASH_SOURCE[0]}")/../dist}"
LIMIT_KB="${SIZE_BUDGET_KB:-233}"
EXPERIMENTS_LIMIT_KB="${SIZE_BUDGET_EXPERIMENTS_KB:-210}"
EXPERIMENTS_FILES=(experiments-loader.js experiments.js experiments_bg.wasm experiments-worker.js builder.css)
INDEX="$DIST/index.html"
[[ -f "$INDEX" ]] || {
  echo "size-budget: no $INDEX (run trunk build --release first)" >&2
  exit 2
}

# The page itself, then every local file it names in href, src, data-js or data-wasm
# (loader.js imports data-js and instantiates data-wasm); trunk's minified HTML drops quotes.
mapfile -t files < <(
  echo index.html
  grep -oE '(href|src|data-js|data-wasm)=("[^"]+"|[^ >"]+)' "$INDEX" |
    sed -E 's/^[^=]*=//; s/^"//; s/"$//; s#^\./##' |
    grep -vE '^(https?:|data:|//)' | sort -u
)

total=0
printf '%-40s %10s %10s\n' file bytes gzip
for f in "${files[@]}"; do
  path="$DIST/$f"
  [[ -f "$path" ]] || {
    echo "size-budget: index.html names $f, which is not in $DIST" >&2
    exit 2
  }
  raw=$(wc -c <"$path")
  gz=$(gzip -9 -c "$path" | wc -c)
  total=$((total + gz))
  printf '%-40s %10d %10d\n' "$f" "$raw" "$gz"
done
limit=$((LIMIT_KB * 1000))
verdict=PASS
((total <= limit)) || verdict=FAIL
printf 'BUDGET size-first-load-gzip: %.1f KB (limit %d KB) %s\n' "$(awk -v t="$total" 'BEGIN { print t / 1000 }')" "$LIMIT_KB" "$verdict"

on_demand=0
for f in "${EXPERIMENTS_FILES[@]}"; do
  path="$DIST/$f"
  [[ -f "$path" ]] || {
    echo "size-budget: the on-demand bundle's $f is not in $DIST" >&2
    exit 2
  }
  gz=$(gzip -9 -c "$path" | wc -c)
  on_demand=$((on_demand + gz))
  printf '%-40s %10d %10d  (on demand)\n' "$f" "$(wc -c <"$path")" "$gz"
done
later=PASS
((on_demand <= EXPERIMENTS_LIMIT_KB * 1000)) || later=FAIL
printf 'BUDGET size-experiments-on-demand-gzip: %.1f KB (limit %d KB) %s\n' "$(awk -v t="$on_demand" 'BEGIN { print t / 1000 }')" "$EXPERIMENTS_LIMIT_KB" "$later"
[[ "$verdict" == PASS && "$later" == PASS ]]
