#!/usr/bin/env bash
# k8s-check.sh — checks deploy/k8s/ as far as this machine can without a cluster or a
# container engine:
#
#   1. every object of every manifest against the Kubernetes API's JSON schemas (PyPI's
#      kubernetes-validate, pinned in scripts/tools.sh, Kubernetes 1.37, --strict: a field
#      the API does not have is an error), and a copy with a misspelled field must fail,
#      so the check is known to bite;
#   2. the Indexed Job's shape: completionMode Indexed, parallelism = completions = SHARDS,
#      and the merge Job naming exactly shard-1.csv to shard-N.csv;
#   3. the pods' command lines themselves, run here with sh: the sweep Job's for each
#      JOB_COMPLETION_INDEX from 0 (its SWEEP cut to 2,000 requests, /shards a temporary
#      directory), then the merge Job's; the merged CSV must be `lbsim sweep`'s byte for byte.
#
# Not checked here: the Dockerfile (no Docker engine runs on this machine) and scheduling
# on a real cluster. lbsim is $LBSIM, else target/debug/lbsim, built here if missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
# shellcheck source=scripts/tools.sh
source scripts/tools.sh
install_k8s_validate
venv="$ROOT/.tools/k8s-venv"
if [[ -z "${LBSIM:-}" ]]; then
  cargo build -q -p lbsim
  LBSIM="$ROOT/target/debug/lbsim"
fi
work="$(mktemp -d /tmp/lbviz-k8s.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# 1. the schemas
"$venv/bin/kubernetes-validate" --strict --quiet -k 1.37.0 deploy/k8s/*.yaml
sed 's/^  backoffLimit:/  backofLimit:/' deploy/k8s/sweep-job.yaml >"$work/misspelled.yaml"
if "$venv/bin/kubernetes-validate" --strict --quiet -k 1.37.0 "$work/misspelled.yaml" >"$work/misspelled.out" 2>&1; then
  echo "k8s-check: FAIL: a Job with a misspelled field (backofLimit) passed the schema check" >&2
  exit 1
fi
grep -q "'backofLimit' was unexpected" "$work/misspelled.out"
echo "k8s-check: PASS: deploy/k8s/*.yaml match Kubernetes 1.37's schemas (strict); a misspelled field is refused"

# 2 and 3: the Jobs' shape, and their commands run with sh
mkdir "$work/bin" "$work/shards"
ln -s "$(cd "$(dirname "$LBSIM")" && pwd)/$(basename "$LBSIM")" "$work/bin/lbsim"
SMALL="--algos round-robin,power-of-two,least-connections --servers 10 --cost 1 --loads 0.5:0.95:0.05 --requests 2000"
PATH="$work/bin:$PATH" "$venv/bin/python" - "$work" "$SMALL" <<'PY'
import os, subprocess, sys, yaml

work, small = sys.argv[1], sys.argv[2]
docs = [d for f in ("deploy/k8s/sweep-job.yaml", "deploy/k8s/sweep-merge.yaml") for d in yaml.safe_load_all(open(f))]
jobs = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Job"}
sweep, merge = jobs["lbsim-sweep"], jobs["lbsim-merge"]
spec = sweep["spec"]
container = spec["template"]["spec"]["containers"][0]
env = {e["name"]: e.get("value") for e in container["env"]}
shards = int(env["SHARDS"])
assert spec["completionMode"] == "Indexed", spec["completionMode"]
assert spec["completions"] == spec["parallelism"] == shards, (spec["completions"], spec["parallelism"], shards)
merge_args = merge["spec"]["template"]["spec"]["containers"][0]["args"][0]
named = [w for w in merge_args.split() if w.startswith("/shards/shard-")]
assert named == [f"/shards/shard-{i}.csv" for i in range(1, shards + 1)], named

def run(script, extra):
    """Runs a pod's script as its container would (command + args), /shards a temporary directory."""
    script = script.replace("/shards/", work + "/shards/")
    out = subprocess.run(container["command"] + [script], env={**os.environ, **extra},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, (script, out.stderr)
    return out.stdout

for index in range(shards):
    run(container["args"][0], {"JOB_COMPLETION_INDEX": str(index), "SHARDS": str(shards), "SWEEP": small, "CPUS": "2"})
assert merge["spec"]["template"]["spec"]["containers"][0]["command"] == container["command"]
merged = run(merge_args, {})
whole = subprocess.run(["lbsim", "sweep", *small.split()], capture_output=True, text=True, timeout=120, check=True).stdout
assert merged == whole, "the Jobs' merged CSV differs from lbsim sweep's"
assert not [f for f in os.listdir(work + "/shards") if f.endswith(".part")]
print(f"k8s-check: PASS: the Indexed Job's {shards} pod commands (JOB_COMPLETION_INDEX 0 to {shards - 1}) and the merge "
      f"Job's, run with sh, give lbsim sweep's CSV byte for byte ({len(whole.splitlines()) - 1} rows)")
PY
