#!/usr/bin/env bash
# Every test: set up, build, run the whole CTest suite; then the same suite built with ASan + UBSan.
# KACTOR_SKIP_SANITIZERS=1 skips the second pass (for quick local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 300)
if [ "${KACTOR_SKIP_SANITIZERS:-0}" != "1" ]; then
  KACTOR_BUILD_DIR=build-asan KACTOR_BUILD_TYPE=Debug bash scripts/build.sh -DKACTOR_SANITIZE=address
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j "$(nproc)" --timeout 600)
fi
