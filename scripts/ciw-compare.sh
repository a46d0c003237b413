#!/usr/bin/env bash
# ciw-compare.sh — lbsim against Ciw (https://ciw.readthedocs.io), a Python library for
# discrete-event simulation of queueing networks, on the same model, timed side by side in one
# run. Prints each one's requests per second of wall time, each one's mean response beside
# theory's, and the ratio of the speeds. Two models:
#
#   power-of-two (the default; issue 20's engine benchmark): C single-worker servers, each with
#     its own first-in, first-out queue, Poisson arrivals at load RHO, exponential work of mean
#     1 s, each arrival sent to the server with fewer requests of two drawn at random. lbsim:
#     `run --algo power-of-two --workers 1`. Ciw: C nodes of one server each, behind a
#     dispatcher node (infinite servers, no service time) whose router, a subclass of Ciw's
#     own `ciw.routing.NodeRouting`, draws two of the C nodes and compares the customers at
#     each: Ciw routes a customer when it leaves a node, so a routed arrival passes through a
#     node first. Theory: the mean-field limit (C -> infinity) of the mean response,
#     sum over i >= 1 of RHO^(2^i - 2) (Vvedenskaya, Dobrushin and Karpelevich 1996;
#     Mitzenmacher 2001); at C = 100 both simulators find about 1% more.
#   mmc: one M/M/C queue (C servers behind one queue). lbsim: one server with C workers;
#     Ciw: one node of C servers, its fastest case. Theory: Erlang C.
#
#   scripts/ciw-compare.sh [--model power-of-two|mmc] [--servers C] [--load RHO]
#                          [--requests N] [--ciw-requests M]
#
# Defaults: power-of-two, 100 servers, load 0.9, lbsim 10,000,000 requests, Ciw 20,000
# customers (mmc: 10 servers, 200,000 requests and customers). Each is timed on its own
# count: lbsim's memory is flat in requests, Ciw keeps a record of every customer (about
# 1 KB) and runs thousands, not millions, a second on the power-of-two model, so the ratio is
# of requests per second. Ciw's time is its simulation's alone (not Python's start or the
# import); lbsim's includes its process's start. Ciw 3.2.7 is installed, pinned, into a
# virtual environment of the script's own (target/ciw-venv); lbsim is built in release mode
# if target/release/lbsim is missing. Not part of scripts/test.sh (it fetches Ciw from PyPI).
set -euo pipefail

cd "$(dirname "$0")/.."

model=power-of-two
servers=
load=0.9
requests=
ciw_requests=

refuse() { # FLAG VALUE ALLOWED
  echo "ciw-compare.sh: $1 \"${2:0:40}\": allowed: $3" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --model | --servers | --load | --requests | --ciw-requests)
      [[ $# -ge 2 ]] || refuse "$1" "" "a value after the flag"
      case "$1" in
        --model) model="$2" ;;
        --servers) servers="$2" ;;
        --load) load="$2" ;;
        --requests) requests="$2" ;;
        --ciw-requests) ciw_requests="$2" ;;
      esac
      shift 2
      ;;
    *) refuse "argument" "$1" "--model M, --servers C, --load RHO, --requests N, --ciw-requests M" ;;
  esac
done

case "$model" in
  power-of-two) : "${servers:=100}" "${requests:=10000000}" "${ciw_requests:=20000}" ;;
  mmc) : "${servers:=10}" "${requests:=200000}" "${ciw_requests:=$requests}" ;;
  *) refuse --model "$model" "power-of-two or mmc" ;;
esac

# bounded: lbsim's memory is flat (100 million requests take about 8 s); Ciw holds every
# customer's record in memory, about 1 KB each
[[ "$servers" =~ ^[0-9]{1,4}$ ]] && ((servers >= 1 && servers <= 1000)) ||
  refuse --servers "$servers" "an integer from 1 to 1000"
[[ "$model" == mmc ]] || ((servers >= 2)) ||
  refuse --servers "$servers" "at least 2 for power of two (it draws two servers)"
[[ "$requests" =~ ^[0-9]{1,9}$ ]] && ((requests >= 1000 && requests <= 100000000)) ||
  refuse --requests "$requests" "an integer from 1000 to 100000000"
[[ "$ciw_requests" =~ ^[0-9]{1,8}$ ]] && ((ciw_requests >= 1000 && ciw_requests <= 2000000)) ||
  refuse --ciw-requests "$ciw_requests" "an integer from 1000 to 2000000"
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

# the same model in lbsim: queues long enough to turn no one away, as Ciw's are
if [[ "$model" == mmc ]]; then
  shape=(--servers 1 --workers "$servers")
else
  shape=(--algo power-of-two --servers "$servers" --workers 1)
fi
start=$(date +%s%N)
lbsim_json=$(target/release/lbsim run "${shape[@]}" --queue 1000000 \
  --rate "$rate" --cost 1 --dist exp --requests "$requests" --seed 1 --format json 2>/dev/null)
lbsim_ns=$(($(date +%s%N) - start))
lbsim_mean=$(printf '%s' "$lbsim_json" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["mean_response_s"])')

read -r ciw_ns ciw_mean < <("$venv/bin/python" - "$model" "$rate" "$servers" "$ciw_requests" <<'PY'
import sys
import time
import ciw

model, rate, servers, requests = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


class PowerOfTwo(ciw.routing.NodeRouting):
    """Sends a customer to whichever of two nodes drawn at random holds fewer customers."""

    def __init__(self, destinations):
        self.destinations = destinations

    def next_node(self, ind):
        a, b = ciw.random.sample(self.destinations, 2)
        node_a, node_b = self.simulation.nodes[a], self.simulation.nodes[b]
        return node_b if node_b.number_of_individuals < node_a.number_of_individuals else node_a


ciw.seed(1)
if model == "mmc":
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=rate)],
        service_distributions=[ciw.dists.Exponential(rate=1.0)],
        number_of_servers=[servers],
    )
    served = lambda record: True
else:
    # node 1 dispatches (infinite servers, no service time); nodes 2..C+1 serve
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=rate)] + [None] * servers,
        service_distributions=[ciw.dists.Deterministic(value=0.0)]
        + [ciw.dists.Exponential(rate=1.0)] * servers,
        number_of_servers=[float("inf")] + [1] * servers,
        routing=ciw.routing.NetworkRouting(
            routers=[PowerOfTwo(list(range(2, servers + 2)))] + [ciw.routing.Leave()] * servers
        ),
    )
    served = lambda record: record.node != 1
start = time.perf_counter_ns()
q = ciw.Simulation(network)
q.simulate_until_max_customers(requests, method="Finish")
elapsed = time.perf_counter_ns() - start
records = [r for r in q.get_all_records() if served(r)]
print(elapsed, sum(r.waiting_time + r.service_time for r in records) / len(records))
PY
)

if [[ "$model" == mmc ]]; then
  # Erlang C: the chance an arrival waits, and the mean response 1/mu + C / (c mu - lambda)
  title="M/M/$servers"
  theory_name="Erlang C"
  theory=$(awk -v c="$servers" -v r="$load" 'BEGIN {
    a = r * c; term = 1; sum = 1
    for (k = 1; k < c; k++) { term *= a / k; sum += term }
    last = term * a / c / (1 - r)
    p = last / (sum + last)
    printf "%.4f", 1 + p / (c - a)
  }')
else
  title="$servers single-worker servers, power of two"
  theory_name="mean-field limit"
  theory=$(awk -v r="$load" 'BEGIN {
    s = 0; e = 0
    for (i = 1; i <= 40; i++) { s += exp(e * log(r)); e = 2 * e + 2 }
    printf "%.4f", s
  }')
fi

awk -v n="$requests" -v m="$ciw_requests" -v lt="$lbsim_ns" -v ct="$ciw_ns" -v lm="$lbsim_mean" \
  -v cm="$ciw_mean" -v t="$title" -v tn="$theory_name" -v th="$theory" -v r="$load" 'BEGIN {
  lr = n / (lt / 1e9); cr = m / (ct / 1e9)
  printf "%s at load %s; %s mean response %s s\n", t, r, tn, th
  printf "lbsim  %10d requests  %8.3f s wall  %12.0f requests/s  mean response %.4f s\n", n, lt / 1e9, lr, lm
  printf "Ciw    %10d customers %8.3f s wall  %12.0f requests/s  mean response %.4f s\n", m, ct / 1e9, cr, cm
  printf "lbsim is %.0f times as fast as Ciw 3.2.7\n", lr / cr
}'
