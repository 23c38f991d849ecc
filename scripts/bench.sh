#!/usr/bin/env bash
# The benchmarks in one command: builds (scripts/build.sh), runs every bench/ program and prints their
# figures as one table; writes them all to a JSON file (default bench-results.json). `--small` runs the
# CI smoke sizes (CTest's bench.smoke; no timing is asserted anywhere). Figures and the machine they were
# measured on are recorded in docs/benchmarks.md.
#   scripts/bench.sh [--small] [--json FILE] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
small="" out="bench-results.json" build=1 bin=${KACTOR_BUILD_DIR:-build}/bench
while [ $# -gt 0 ]; do
  case "$1" in
    --small) small="--small" ;;
    --json) out=$2; shift ;;
    --no-build) build=0 ;;
    --bin) bin=$2; shift ;;
    *) echo "usage: $0 [--small] [--json FILE] [--no-build]" >&2; exit 2 ;;
  esac
  shift
done
[ "$build" = 0 ] || scripts/build.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for b in api_server roll operator; do
  echo "== $b"
  "$bin/kactor_bench_$b" $small --json "$tmp/$b.json" || { echo "kactor_bench_$b failed" >&2; status=1; }
done
echo "== sim"
python3 bench/sim_speed.py "$bin/../kactor" . $small --json "$tmp/sim.json" || { echo "sim_speed failed" >&2; status=1; }
python3 - "$out" "$tmp"/*.json <<'PY'
import json, os, platform, sys
out, files = sys.argv[1], sys.argv[2:]
results = [json.load(open(f)) for f in files]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
machine = {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release()}
json.dump({"machine": machine, "benchmarks": results}, open(out, "w"), indent=2)
print(f"\n{'benchmark':<11} {'figure':<60} {'value':>12}")
for r in results:
    for f in r["figures"]:
        print(f"{r['benchmark']:<11} {f['name'][:60]:<60} {f['value']:>12.3f} {f.get('unit', '')} {f.get('goal', '')}")
print(f"\nwritten to {out} ({cpu}, {os.cpu_count()} cores)")
PY
exit $status
