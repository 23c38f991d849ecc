#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and runs every one of them for
# SECONDS (default 60), starting from its seed corpus in tests/fuzz/corpus/<name>.
#
#   scripts/fuzz.sh [-j N] [--build-only | --no-build] [SECONDS]
#
# The targets are those tests/fuzz/CMakeLists.txt lists (it writes build-fuzz/tests/fuzz/fuzz_targets.txt),
# so this script never names one. -j N (or KACTOR_FUZZ_JOBS) runs N targets at a time (default 1). A crash
# does not stop the run: every target runs, then each crash is reported with its target and the input that
# caused it (build-fuzz/fuzz-crashes/<target>/), and the exit status is 1 if any target crashed.
# Logs: build-fuzz/fuzz-logs/<target>.log. The seed corpus is copied, never written to.
# --build-only / --no-build split the (heavy) build from the (long) run, e.g. to hold a build lock only
# while compiling.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${KACTOR_FUZZ_JOBS:-1} seconds=60 build=1 run=1
while [ $# -gt 0 ]; do
  case "$1" in
    -j) jobs="$2"; shift ;;
    -j*) jobs="${1#-j}" ;;
    --build-only) run=0 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) seconds="$1" ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  CXX=clang++ KACTOR_BUILD_DIR=build-fuzz bash scripts/build.sh -DKACTOR_SANITIZE=fuzz --target kactor_fuzz_targets
fi
[ "$run" = 1 ] || exit 0

list=build-fuzz/tests/fuzz/fuzz_targets.txt
[ -s "$list" ] || { echo "fuzz: no $list (build first)" >&2; exit 2; }
mapfile -t targets < <(grep -v '^$' "$list")
crashes=build-fuzz/fuzz-crashes logs=build-fuzz/fuzz-logs
rm -rf "$crashes" "$logs"
mkdir -p "$crashes" "$logs"

# One target: a scratch copy of its seed corpus, artifacts (crash-*, leak-*, timeout-*, oom-*) into its own
# folder; its exit status and executions are written beside its log for the summary.
run_one() {
  local name=$1 work
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/${name%_fuzz}/." "$work/" 2>/dev/null || true
  mkdir -p "$crashes/$name"
  local status=0
  build-fuzz/tests/fuzz/"$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/$name/" "$work" >"$logs/$name.log" 2>&1 || status=$?
  echo "$status" >"$logs/$name.status"
  rm -rf "$work"
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$name.log" | tail -n 1)
  echo "${execs:-0}" >"$logs/$name.execs"
  echo "fuzz: $name done: exit $status, ${execs:-?} executions"
}

echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time"
started=$(date +%s)
for name in "${targets[@]}"; do
  if [ ! -x "build-fuzz/tests/fuzz/$name" ]; then
    echo "fuzz: $name is listed but not built" >&2
    echo 127 >"$logs/$name.status"
    continue
  fi
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  echo "fuzz: $name for ${seconds}s"
  run_one "$name" &
done
wait || true

failed=0
printf '\n%-22s %8s %14s  %s\n' target exit executions crash
for name in "${targets[@]}"; do
  status=$(cat "$logs/$name.status" 2>/dev/null || echo "?")
  execs=$(cat "$logs/$name.execs" 2>/dev/null || echo 0)
  found=$(ls "$crashes/$name" 2>/dev/null | head -n 1)
  printf '%-22s %8s %14s  %s\n' "$name" "$status" "$execs" "${found:+$crashes/$name/$found}"
  if [ "$status" != 0 ] || [ -n "$found" ]; then
    failed=1
  fi
done
echo "fuzz: $(( $(date +%s) - started ))s in all"
if [ "$failed" = 1 ]; then
  echo "fuzz: FAILED — for each target above with an exit status or a crash file: its log is $logs/<target>.log;" \
       "reproduce with build-fuzz/tests/fuzz/<target> <crash file>, then add the file to tests/fuzz/corpus/<name>/" >&2
  exit 1
fi
echo "fuzz: no crash"
