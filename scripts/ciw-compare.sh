#!/usr/bin/env bash
# ciw-compare.sh — lbsim against Ciw (https://ciw.readthedocs.io), a Python library for
# discrete-event simulation of queueing networks, on one model both express exactly: an M/M/c
# queue (Poisson arrivals, exponential service of mean 1 s, c servers behind one first-in,
# first-out queue). In lbsim that is one server with c workers and a queue long enough to
# turn no one away; in Ciw one node with c servers. Both simulate the same number of
# customers; the script times each, prints requests per second of wall time, each one's mean
# response time beside Erlang C's, and the ratio of the speeds.
#
#   scripts/ciw-compare.sh [--servers C] [--load RHO] [--requests N]
#
# Defaults: 10 servers, load 0.9, 200,000 customers. Ciw 3.2.7 is installed, pinned, into a
# virtual environment of the script's own (target/ciw-venv); lbsim is built in release mode
# if target/release/lbsim is missing.
set -euo pipefail

cd "$(dirname "$0")/.."

servers=10
load=0.9
requests=200000

refuse() { # FLAG VALUE ALLOWED
  echo "ciw-compare.sh: $1 \"${2:0:40}\": allowed: $3" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --servers | --load | --requests)
      [[ $# -ge 2 ]] || refuse "$1" "" "a value after the flag"
      case "$1" in
        --servers) servers="$2" ;;
        --load) load="$2" ;;
        --requests) requests="$2" ;;
      esac
      shift 2
      ;;
    *) refuse "argument" "$1" "--servers C, --load RHO, --requests N" ;;
  esac
done

# bounded: Ciw holds every customer's record in memory, about 1 KB each
[[ "$servers" =~ ^[0-9]{1,4}$ ]] && ((servers >= 1 && servers <= 1000)) ||
  refuse --servers "$servers" "an integer from 1 to 1000"
[[ "$requests" =~ ^[0-9]{1,8}$ ]] && ((requests >= 1000 && requests <= 2000000)) ||
  refuse --requests "$requests" "an integer from 1000 to 2000000"
[[ "$load" =~ ^0?\.[0-9]{1,6}$ ]] && [[ ! "$load" =~ ^0?\.0+$ ]] && awk -v r="$load" 'BEGIN { exit !(r >= 0.01 && r <= 0.99) }' ||
  refuse --load "$load" "a decimal from 0.01 to 0.99"

venv=target/ciw-venv
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import ciw, sys; sys.exit(ciw.__version__ != "3.2.7")' 2>/dev/null; then
  echo "making $venv with Ciw 3.2.7..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'ciw==3.2.7'
fi
if [[ ! -x target/release/lbsim ]]; then
  cargo build --release -p lbsim >&2
fi

rate=$(awk -v r="$load" -v c="$servers" 'BEGIN { printf "%.6f", r * c }')

start=$(date +%s%N)
lbsim_json=$(target/release/lbsim run --servers 1 --workers "$servers" --queue 1000000 \
  --rate "$rate" --cost 1 --dist exp --requests "$requests" --seed 1 --format json 2>/dev/null)
lbsim_ns=$(($(date +%s%N) - start))
lbsim_mean=$(printf '%s' "$lbsim_json" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["mean_response_s"])')

# Ciw's time is its simulation's alone, measured in Python: the interpreter's start and
# the import are left out (lbsim's start, a few milliseconds, is in its time)
read -r ciw_ns ciw_mean < <("$venv/bin/python" - "$rate" "$servers" "$requests" <<'PY'
import sys
import time
import ciw

rate, servers, requests = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ciw.seed(1)
network = ciw.create_network(
    arrival_distributions=[ciw.dists.Exponential(rate=rate)],
    service_distributions=[ciw.dists.Exponential(rate=1.0)],
    number_of_servers=[servers],
)
start = time.perf_counter_ns()
q = ciw.Simulation(network)
q.simulate_until_max_customers(requests, method="Finish")
elapsed = time.perf_counter_ns() - start
records = q.get_all_records()
print(elapsed, sum(r.waiting_time + r.service_time for r in records) / len(records))
PY
)

# Erlang C: the chance an arrival waits, and the mean response 1/mu + C / (c mu - lambda)
erlang=$(awk -v c="$servers" -v r="$load" 'BEGIN {
  a = r * c; term = 1; sum = 1
  for (k = 1; k < c; k++) { term *= a / k; sum += term }
  last = term * a / c / (1 - r)
  p = last / (sum + last)
  printf "%.4f", 1 + p / (c - a)
}')

awk -v n="$requests" -v lt="$lbsim_ns" -v ct="$ciw_ns" -v lm="$lbsim_mean" -v cm="$ciw_mean" \
  -v e="$erlang" -v c="$servers" -v r="$load" 'BEGIN {
  printf "M/M/%d at load %s, %d customers; Erlang C mean response %s s\n", c, r, n, e
  printf "lbsim  %8.3f s wall  %12.0f requests/s  mean response %.4f s\n", lt / 1e9, n / (lt / 1e9), lm
  printf "Ciw    %8.3f s wall  %12.0f requests/s  mean response %.4f s\n", ct / 1e9, n / (ct / 1e9), cm
  printf "lbsim is %.0f times as fast as Ciw 3.2.7\n", ct / lt
}'
