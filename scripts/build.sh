#!/usr/bin/env bash
# Configures and builds kactor into build/ (or $KACTOR_BUILD_DIR). `--target T` (repeatable) builds only
# those targets (the main job builds `kactor` alone: no test or benchmark is compiled for it). Other
# arguments go to CMake's configure step, e.g. -DKACTOR_SANITIZE=address.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${KACTOR_BUILD_DIR:-build}
targets=() configure=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) targets+=(--target "$2"); shift ;;
    *) configure+=("$1") ;;
  esac
  shift
done
# ccache hits across clones in different folders (CI builds a fresh clone): relative paths, no cwd hash.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=${KACTOR_BUILD_TYPE:-RelWithDebInfo} "${configure[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" "${targets[@]}"
