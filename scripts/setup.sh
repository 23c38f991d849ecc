#!/usr/bin/env bash
# Installs every Debian 12 package kactor's build, tests and end-to-end tests need. Idempotent: when
# everything is present it only checks (about a second) and touches nothing.
#   scripts/setup.sh           everything (the test command)
#   scripts/setup.sh --build   only what configuring and building kactor needs (the main job): no clang,
#                              Chromium, Prometheus or Python, a download several times smaller
set -euo pipefail

packages=(
  # toolchain
  g++ cmake make ccache pkg-config
  # libraries (GoogleTest and Google Benchmark too: configuring the tree looks for them)
  libcaf-dev libboost-dev libssl-dev openssl zlib1g-dev nlohmann-json3-dev libspdlog-dev libyaml-cpp-dev libcli11-dev
  librdkafka-dev libgtest-dev libgmock-dev libbenchmark-dev
)
if [ "${1:-}" != "--build" ]; then
  packages+=(
    # the fuzz targets (libFuzzer) and LeakSanitizer's runtime
    clang libclang-rt-14-dev
    # end-to-end tests: real clients and monitoring binaries driven on loopback
    python3 python3-kubernetes python3-yaml curl prometheus prometheus-alertmanager
    # the simulation report (report.html) is checked in headless Chromium
    chromium
  )
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# kubectl is often installed outside Debian's packages; only fall back to Debian's when none is on PATH.
[ "${1:-}" = "--build" ] || command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present"
