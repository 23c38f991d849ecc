#!/usr/bin/env bash
# The embeddable runtime as an embedder gets it: `cmake --install` into a temporary prefix, the example in
# examples/remove_broker configured with find_package(kactor) against that prefix only, built and run.
set -euo pipefail
build=$1
src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$src/examples/remove_broker" -B "$prefix/example" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  "${launcher[@]}" >/dev/null
cmake --build "$prefix/example" >/dev/null
timeout 120 "$prefix/example/remove_broker"
