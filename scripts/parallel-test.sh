#!/usr/bin/env bash
# parallel-test.sh — the README's sharded sweep on one machine with GNU parallel, run as
# printed: four `lbsim sweep --shard I/4` at once, then `lbsim merge`, and the result
# compared with the unsharded `lbsim sweep` byte for byte (cmp).
#
# Installs Debian's parallel when missing (install_parallel in scripts/tools.sh: root and
# apt-get). lbsim is $LBSIM, else target/debug/lbsim, built here if missing; it goes on
# PATH as `lbsim`, as a user has it. Takes a few seconds.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
if ! command -v parallel >/dev/null; then
  # shellcheck source=scripts/tools.sh
  source scripts/tools.sh
  install_parallel || {
    echo "parallel-test: FAIL: GNU parallel is missing and could not be installed (install_parallel)" >&2
    exit 1
  }
fi
if [[ -z "${LBSIM:-}" ]]; then
  cargo build -q -p lbsim
  LBSIM="$ROOT/target/debug/lbsim"
fi
work="$(mktemp -d /tmp/lbviz-parallel.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$(cd "$(dirname "$LBSIM")" && pwd)/$(basename "$LBSIM")" "$work/bin/lbsim"
export PATH="$work/bin:$PATH"
cd "$work"

# The README's lines, as printed there (docs/sharding.md has them too), with fewer requests.
timeout 120 parallel 'lbsim sweep --shard {}/4 --algos round-robin,power-of-two --loads 0.1:0.9:0.1 --requests 2000 > shard-{}.csv' ::: 1 2 3 4 </dev/null
lbsim merge shard-*.csv > sweep.csv

lbsim sweep --algos round-robin,power-of-two --loads 0.1:0.9:0.1 --requests 2000 >whole.csv
cmp whole.csv sweep.csv
rows=$(($(wc -l <sweep.csv) - 1))
((rows == 18)) || {
  echo "parallel-test: FAIL: $rows rows, not 2 algorithms x 9 loads = 18" >&2
  exit 1
}
echo "parallel-test: PASS: 4 shards run by GNU parallel and merged are lbsim sweep's CSV byte for byte ($rows rows)"
