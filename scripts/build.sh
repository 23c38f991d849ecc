#!/usr/bin/env bash
# Configures and builds kactor into build/ (or $KACTOR_BUILD_DIR). Extra arguments go to CMake's
# configure step, e.g. -DKACTOR_SANITIZE=address.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${KACTOR_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=${KACTOR_BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
