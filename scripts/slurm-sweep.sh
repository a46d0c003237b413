#!/usr/bin/env bash
# slurm-sweep.sh — runs an `lbsim sweep` as a Slurm job array and prints exactly what the
# sweep prints on one machine.
#
# Submits N array tasks (sbatch --array=1-N) to the cluster sbatch reaches (SLURM_CONF or
# Slurm's default configuration); task I runs `lbsim sweep --shard I/N FLAGS...` (the
# script DIR/task.sh) with its output in DIR/shard-I.csv and its stderr in DIR/shard-I.err.
# It waits for the array (sbatch --wait), names every task that failed with its stderr file
# (and the file's last lines), then merges the shards with `lbsim merge` onto stdout: the
# CSV `lbsim sweep FLAGS...` prints, byte for byte.
#
# Usage:  scripts/slurm-sweep.sh --shards N [--dir DIR] [--sbatch ARG]... [lbsim sweep flags...]
#
#   --shards N     the array's tasks, from 1 to the sweep's runs (lbsim refuses more)
#   --dir DIR      where the shards go, on a file system every node sees; it must be empty
#                  or new [default: ./lbsim-sweep-DATE-PID under the current directory]
#   --sbatch ARG   passed to sbatch as it is (--partition=debug, --time=10, --cpus-per-task=4),
#                  once per argument
#
# lbsim is $LBSIM, or target/release/lbsim of this checkout; the nodes run it by that
# absolute path, so it must be on a shared file system too. Each task runs its shard on
# the CPUs Slurm gives it (lbsim sweep --jobs, from SLURM_CPUS_PER_TASK, else 1).
# Exit status: lbsim merge's; 1 when a task failed or sbatch could not submit; 2 for bad usage.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

die() { # status message
  printf 'slurm-sweep: %s\n' "$2" >&2
  exit "$1"
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shards="" dir="" sbatch_args=() sweep_args=()
while (($#)); do
  case "$1" in
    --shards) (($# >= 2)) || usage; shards="$2"; shift 2 ;;
    --shards=*) shards="${1#*=}"; shift ;;
    --dir) (($# >= 2)) || usage; dir="$2"; shift 2 ;;
    --dir=*) dir="${1#*=}"; shift ;;
    --sbatch) (($# >= 2)) || usage; sbatch_args+=("$2"); shift 2 ;;
    --sbatch=*) sbatch_args+=("${1#*=}"); shift ;;
    -h | --help) usage ;;
    --shard | --shard=* | --format | --format=*)
      die 2 "${1%%=*}: slurm-sweep.sh sets it (each task runs one shard, and the merged output is CSV)" ;;
    *) sweep_args+=("$1"); shift ;;
  esac
done
[[ "$shards" =~ ^[1-9][0-9]{0,4}$ ]] ||
  die 2 "--shards \"${shards:0:20}\": allowed: a whole number of tasks from 1 to the sweep's runs, such as 4"

LBSIM="${LBSIM:-$ROOT/target/release/lbsim}"
[[ -x "$LBSIM" ]] || die 2 "lbsim not found at $LBSIM: build it (cargo build --release -p lbsim) or set LBSIM"
LBSIM="$(cd "$(dirname "$LBSIM")" && pwd)/$(basename "$LBSIM")"
command -v sbatch >/dev/null || die 2 "sbatch not found: this needs Slurm's client commands on PATH"

# Refuse a sweep lbsim refuses, or more shards than runs, before anything is submitted.
check="$("$LBSIM" sweep "${sweep_args[@]}" --shard "$shards/$shards" --dry-run 2>&1)" || die 2 "${check#lbsim: }"

if [[ -z "$dir" ]]; then
  dir="$PWD/lbsim-sweep-$(date -u +%Y%m%dT%H%M%SZ)-$$"
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
[[ -z "$(ls -A "$dir")" ]] || die 2 "--dir $dir: not empty (shards of another sweep would be merged): give a new or empty one"

# The task, a bash script in DIR (kept: it says what ran): its shard, then its exit status
# in shard-I.exit, so that a task that died before writing it is told apart from one that
# failed. --jobs follows the CPUs Slurm gives the task, unless the flags say.
# shellcheck disable=SC2016 # expanded by the task, not here
jobs=(--jobs '"${SLURM_CPUS_PER_TASK:-1}"')
for arg in "${sweep_args[@]}"; do
  [[ "$arg" == --jobs || "$arg" == --jobs=* ]] && jobs=()
done
# shellcheck disable=SC2016 # the task's variables, expanded when it runs
{
  echo '#!/bin/bash'
  printf '%q sweep --shard "$SLURM_ARRAY_TASK_ID/%s" %s' "$LBSIM" "$shards" "${jobs[*]}"
  if ((${#sweep_args[@]})); then printf ' %q' "${sweep_args[@]}"; fi
  printf '\nstatus=$?\necho "$status" > %q/shard-"$SLURM_ARRAY_TASK_ID".exit\nexit "$status"\n' "$dir"
} >"$dir/task.sh"
chmod +x "$dir/task.sh"

printf 'slurm-sweep: submitting %s tasks, shards in %s\n' "$shards" "$dir" >&2
set +e
sbatch --parsable --wait --array="1-$shards" --job-name=lbsim-sweep \
  --output="$dir/shard-%a.csv" --error="$dir/shard-%a.err" \
  "${sbatch_args[@]}" "$dir/task.sh" >&2
submitted=$?
set -e

failed=()
for ((i = 1; i <= shards; i++)); do
  status="$(cat "$dir/shard-$i.exit" 2>/dev/null || echo none)"
  if [[ "$status" != 0 ]]; then
    failed+=("$i")
    if [[ "$status" == none ]]; then
      printf 'slurm-sweep: task %s did not finish (no exit status); its stderr: %s\n' "$i" "$dir/shard-$i.err" >&2
    else
      printf 'slurm-sweep: task %s failed (exit %s); its stderr: %s\n' "$i" "$status" "$dir/shard-$i.err" >&2
    fi
    tail -n 3 "$dir/shard-$i.err" 2>/dev/null | sed 's/^/  /' >&2 || true
  fi
done
if ((${#failed[@]})); then
  die 1 "${#failed[@]} of $shards tasks failed (sbatch exit $submitted); nothing merged"
fi
((submitted == 0)) || die 1 "sbatch exit $submitted although every task wrote exit 0"

files=()
for ((i = 1; i <= shards; i++)); do files+=("$dir/shard-$i.csv"); done
exec "$LBSIM" merge "${files[@]}"
