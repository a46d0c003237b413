#!/usr/bin/env bash
# wasm-breakdown.sh — what the first load's wasm holds: the app's wasm built as
# `trunk build --release` builds it (release_wasm_env of scripts/tools.sh, cargo profile
# wasm-release, wasm-bindgen --target web,
# wasm-opt with index.html's level and parameters), once more with its function names kept
# (wasm-opt -g), then measured with twiggy and summed by crate. Prints a Markdown table:
# each crate's bytes in the optimised wasm, its share, and that share of the wasm's gzip
# size (gzip -9, as scripts/size-budget.sh counts it). docs/performance.md's "What the first load
# holds" table is this script's output.
#
# A generic function is counted where it is defined (`Vec<T>` code as alloc), except Yew's
# component plumbing, into which each lbviz component's view is inlined: that counts as
# lbviz's components. "data" is the read-only data (strings, tables) of every crate together.
#
# Installs twiggy $TWIGGY_VERSION from crates.io the first time (cargo install, a minute or
# two), and the wasm tools as scripts/tools.sh does. Not part of scripts/test.sh.
#
# Usage:  bash scripts/wasm-breakdown.sh [--top N] [--bin NAME]
#   --top N     also list the N largest functions
#   --bin NAME  another of index.html's wasm binaries instead of the lab's `lbviz`: `experiments`
#               (the Experiments view's bundle), `views` (the small views'), `lesson` or `lesson_check`
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/tools.sh
source scripts/tools.sh

TWIGGY_VERSION=0.8.0
top=0
bin=lbviz
while (($#)); do
  case "$1" in
    --top) top="${2:?--top needs a number}" ;;
    --bin) bin="${2:?--bin needs the name of a binary}" ;;
    *)
      echo "usage: bash scripts/wasm-breakdown.sh [--top N] [--bin NAME]" >&2
      exit 2
      ;;
  esac
  shift 2
done

install_wasm_tools
if ! twiggy --version 2>/dev/null | grep -q " $TWIGGY_VERSION\$"; then
  log "installing twiggy $TWIGGY_VERSION from crates.io"
  cargo install twiggy --version "$TWIGGY_VERSION" --locked --force >&2
fi

# index.html's wasm-opt level and parameters for the binary.
link="$(grep -o "<link data-trunk rel=\"rust\" data-bin=\"$bin\"[^>]*>" index.html)" || {
  echo "wasm-breakdown: index.html builds no binary named $bin" >&2
  exit 2
}
level="$(sed -E 's/.*data-wasm-opt="([^"]+)".*/\1/' <<<"$link")"
read -r -a params <<<"$(sed -E 's/.*data-wasm-opt-params="([^"]+)".*/\1/' <<<"$link")"

(
  release_wasm_env
  cargo build --target wasm32-unknown-unknown --profile wasm-release --bin "$bin" >&2
)
target_dir="${CARGO_TARGET_DIR:-target}"
out=target/wasm-breakdown
mkdir -p "$out"
wasm-bindgen --target=web --no-typescript --out-dir="$out" --out-name="$bin" \
  "$target_dir/wasm32-unknown-unknown/wasm-release/$bin.wasm"
wasm-opt --output="$out/${bin}_opt.wasm" "-O$level" "$out/${bin}_bg.wasm" "${params[@]}"
wasm-opt --output="$out/${bin}_named.wasm" "-O$level" "$out/${bin}_bg.wasm" "${params[@]}" -g
twiggy top -n 1000000 -f csv "$out/${bin}_named.wasm" >"$out/${bin}_top.csv"

bytes=$(wc -c <"$out/${bin}_opt.wasm")
gzip=$(gzip -9 -c "$out/${bin}_opt.wasm" | wc -c)
python3 - "$out/${bin}_top.csv" "$bytes" "$gzip" "$top" <<'EOF'
import collections, csv, re, sys

path, wasm_bytes, wasm_gzip, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
PRIMITIVE = re.compile(r"^(T|U|F|[a-z]?[iuf](8|16|32|64|128|size)|bool|char|str|\[.*|\(.*|&.*|\*.*)$")

def crate(name):
    """The crate that defines an item, from its demangled name."""
    # (legacy-mangled names say `CompStateInner<COMP>`; v0-mangled ones, as RUSTC_BOOTSTRAP=1
    # gives, name the component: `CompStateInner<lbviz[..]::app::App>`)
    if "CompStateInner<" in name or "use_reducer_base::HookProvider" in name:
        return "lbviz's components (their views in Yew's generic code)"
    if name.startswith("data segment") or name.startswith("data["):
        return "data"
    if name.startswith(("__wbg", "__wbindgen", "__externref", "main")):
        return "wasm-bindgen glue"
    if name.startswith(("type[", "import", "export", "elem", "table", "memory", "global", "code section",
                        "wasm magic", "custom section", "start")):
        return "wasm structure"
    inner = name.lstrip("<&*").removeprefix("mut ").removeprefix("dyn ")
    first = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?(::| as |>)", inner)
    if first and first.group(3) == "::":
        return first.group(1)
    # `<T as Trait>::f` or `<f64 as Trait>::f`: the trait's crate.
    trait = re.search(r" as ([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::", name)
    if trait:
        return trait.group(1)
    return "other"

sizes = collections.Counter()
items = []
for row in csv.DictReader(open(path)):
    name = row["Name"]
    if name.startswith(("Σ", "...")) or "subsection" in name or name.startswith("custom section 'name'"):
        continue  # totals, and the names kept only for this count
    size = int(row["ShallowSize"])
    sizes[crate(name)] += size
    items.append((size, name))

counted = sum(sizes.values())
print(f"wasm: {wasm_bytes} bytes, {wasm_gzip / 1000:.1f} KB gzip (the named copy counts {counted} bytes of code and data)")
print()
print("| crate or area | bytes | share | ~KB gzip |")
print("|---|---:|---:|---:|")
other = 0
for name, size in sizes.most_common():
    if size / counted < 0.005:
        other += size
        continue
    print(f"| {name} | {size:,} | {100 * size / counted:.1f}% | {wasm_gzip * size / counted / 1000:.1f} |")
if other:
    print(f"| the rest (each under 0.5%) | {other:,} | {100 * other / counted:.1f}% | {wasm_gzip * other / counted / 1000:.1f} |")
if top:
    print()
    for size, name in sorted(items, reverse=True)[:top]:
        print(f"{size:8d}  {name[:150]}")
EOF
