#!/usr/bin/env bash
# The main job: set up, build, and run kactor on its sample KafkaCluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/kactor validate -f deploy/samples/kafkacluster.yaml
./build/kactor render -f deploy/samples/kafkacluster.yaml
