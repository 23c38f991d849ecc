#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for $1 seconds (default 60),
# starting from the seed corpus in tests/fuzz/corpus/<target>. Crashes land in build-fuzz/crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKACTOR_SANITIZE=fuzz >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target document_fuzz properties_fuzz quantity_fuzz api_request_fuzz watch_event_fuzz api_response_fuzz alert_payload_fuzz cruise_control_fuzz scenario_fuzz
for target in build-fuzz/tests/fuzz/*_fuzz; do
  name=$(basename "$target")
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/${name%_fuzz}/." "$work/" 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  (cd build-fuzz && "../$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 "$work" 2>&1 | tail -n 3)
  rm -rf "$work"
done
