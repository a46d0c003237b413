#!/usr/bin/env bash
# slurm-test.sh — runs a sharded sweep on a real one-node Slurm cluster and checks that
# scripts/slurm-sweep.sh prints what `lbsim sweep` prints, byte for byte.
#
# Starts, in a temporary directory of its own, munged (a key it makes, its own socket) and
# Slurm's slurmctld and slurmd on localhost (Debian's slurm-wlm: Slurm 22.05 on bookworm),
# with a slurm.conf it writes: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
# SlurmUser=root, select/cons_tres, the node's CPUs and memory as `slurmd -C` reports them.
# Then:
#   1. a 4-shard sweep (2 algorithms x 5 loads x 2 retry counts = 20 runs) through
#      slurm-sweep.sh, each task on 2 CPUs, compared with the unsharded `lbsim sweep` (cmp);
#   2. a sweep whose tasks fail: slurm-sweep.sh must fail and name every task's stderr file;
#   3. more shards than runs: refused before anything is submitted.
# Every wait is timed out; the daemons are stopped on exit, whatever happens.
#
# Needs root (slurmd runs the jobs as their user) and apt-get to install slurm-wlm and munge
# (install_slurm in scripts/tools.sh); without them it fails with the reason (scripts/test.sh
# skips it outside CI on such a machine). lbsim is $LBSIM, else target/debug/lbsim, built
# here if missing. Takes about 20 seconds once installed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

cannot() { # reason
  printf 'slurm-test: FAIL: %s\n' "$1" >&2
  exit 1
}

[[ "$(id -u)" == 0 ]] || cannot "needs root (slurmd runs the jobs as their user; SlurmUser=root)"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || cannot "slurm-wlm and munge are not installed and there is no apt-get to install them"
  # shellcheck source=scripts/tools.sh
  source scripts/tools.sh
  install_slurm || cannot "could not install slurm-wlm and munge (install_slurm)"
fi

if [[ -z "${LBSIM:-}" ]]; then
  cargo build -q -p lbsim
  LBSIM="$ROOT/target/debug/lbsim"
fi
export LBSIM

work="$(mktemp -d /tmp/lbviz-slurm.XXXXXX)"
chmod 700 "$work"
pids=()
stop() {
  local status=$?
  # jobs first (scancel needs the controller), then the daemons this script started
  if [[ -f "$work/slurm.conf" ]]; then
    SLURM_CONF="$work/slurm.conf" timeout 10 scancel --name=lbsim-sweep 2>/dev/null || true
  fi
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; done
  if ((status != 0)); then
    local log
    for log in "$work"/*.log; do
      [[ -f "$log" ]] || continue
      printf -- '--- last lines of %s\n' "$log" >&2
      tail -n 15 "$log" >&2
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap stop EXIT

# until SECONDS WHAT COMMAND...: retries the command every 0.2 s, failing after SECONDS.
until_ok() {
  local limit="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || {
      printf 'slurm-test: FAIL: %s not within %s s\n' "$what" "$limit" >&2
      return 1
    }
    sleep 0.2
  done
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- munge: a key and a socket of this test's own ---------------------------------------
mkdir -p "$work/munge"
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
socket="$work/munge/munge.socket"
munged --force --foreground --key-file="$work/munge/munge.key" --socket="$socket" \
  --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" \
  --log-file="$work/munged.log" >>"$work/munged.log" 2>&1 &
pids+=($!)
until_ok 20 "munged answering on $socket" bash -c "munge -S '$socket' -n | unmunge -S '$socket'"

# --- slurm.conf -------------------------------------------------------------------------
node="$(slurmd -C | head -n 1)"
cpus="$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$node")"
memory="$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$node")"
[[ -n "$cpus" && -n "$memory" ]] || {
  echo "slurm-test: FAIL: cannot read CPUs and RealMemory from slurmd -C: $node" >&2
  exit 1
}
mkdir -p "$work/state" "$work/spool"
cat >"$work/slurm.conf" <<EOF
ClusterName=lbviz-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MaxArraySize=10001
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=lbviz Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"

# in the foreground (-D), so that they are this script's children to stop; they log to files
slurmctld -D -i -f "$SLURM_CONF" >>"$work/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >>"$work/slurmd.log" 2>&1 &
pids+=($!)
# shellcheck disable=SC2016 # expanded by the inner bash, at each try
until_ok 60 "the node idle in sinfo" bash -c '[[ "$(sinfo -h -n localhost -o %t)" == idle ]]'
echo "slurm-test: slurmctld and slurmd up: $(sinfo -h -o '%P %D %t %c CPUs')"

# --- 1. a 4-shard sweep, byte for byte ---------------------------------------------------
# shellcheck disable=SC2054 # the commas are lbsim's lists
sweep=(--algos round-robin,power-of-two --servers 5 --loads 0.1:0.9:0.2 --over retries=0,1 --timeout 1 --requests 3000)
"$LBSIM" sweep "${sweep[@]}" >"$work/whole.csv"
# each task on 2 CPUs (--sbatch passes it on, and the task runs lbsim sweep --jobs 2)
timeout 180 scripts/slurm-sweep.sh --shards 4 --dir "$work/shards" --sbatch --cpus-per-task=2 "${sweep[@]}" \
  >"$work/merged.csv"
cmp "$work/whole.csv" "$work/merged.csv"
rows=$(($(wc -l <"$work/merged.csv") - 1))
((rows == 20)) || {
  echo "slurm-test: FAIL: the merged sweep has $rows rows, not 20" >&2
  exit 1
}
echo "slurm-test: PASS: 4 array tasks merged are lbsim sweep's CSV byte for byte ($rows rows, $(wc -c <"$work/merged.csv") bytes)"

# --- 2. tasks that fail are named with their stderr files --------------------------------
# Made to fail on the node: lbsim is replaced by a script that checks the flags as lbsim does
# (--dry-run) but, run as a task, writes to stderr and exits 3.
cat >"$work/failing-lbsim" <<EOF
#!/bin/sh
case "\$*" in *--dry-run) exec "$LBSIM" "\$@" ;; esac
echo "lbsim: broken on purpose" >&2
exit 3
EOF
chmod +x "$work/failing-lbsim"
if LBSIM="$work/failing-lbsim" timeout 180 scripts/slurm-sweep.sh --shards 2 --dir "$work/failed" "${sweep[@]}" \
  >"$work/failed.out" 2>"$work/failed.err"; then
  echo "slurm-test: FAIL: slurm-sweep.sh succeeded although its tasks failed" >&2
  exit 1
fi
grep -qF "2 of 2 tasks failed (sbatch exit 3); nothing merged" "$work/failed.err"
for i in 1 2; do
  grep -qF "task $i failed (exit 3); its stderr: $work/failed/shard-$i.err" "$work/failed.err" || {
    echo "slurm-test: FAIL: task $i's failure is not reported:" >&2
    cat "$work/failed.err" >&2
    exit 1
  }
done
grep -qF "broken on purpose" "$work/failed.err"
[[ ! -s "$work/failed.out" ]]
echo "slurm-test: PASS: failed tasks named with their stderr files, nothing printed on stdout"

# --- 3. more shards than runs: refused before submitting ---------------------------------
if out="$(timeout 30 scripts/slurm-sweep.sh --shards 21 --dir "$work/too-many" "${sweep[@]}" 2>&1)"; then
  echo "slurm-test: FAIL: 21 shards of 20 runs accepted" >&2
  exit 1
fi
grep -qF -- '--shard "21/21": 21 shards of a sweep of 20 runs' <<<"$out"
[[ ! -e "$work/too-many" ]]
echo "slurm-test: PASS: 21 shards of 20 runs refused before submitting: $out"
