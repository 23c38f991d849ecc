#!/usr/bin/env bash
# The main job: set up, build, check the sample KafkaCluster, and run `kactor sim` on its embedded default
# scenario (simulated Kubernetes + kactor's operator + fault injection + invariant checks; exit 0 = all held).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --build
bash scripts/build.sh --target kactor
./build/kactor validate -f deploy/samples/kafkacluster.yaml
./build/kactor sim
