#!/usr/bin/env bash
# `kactor sim --serve` with its operator inside, driven by the real kubectl: a Koperator sample applied
# with kubectl becomes three Ready broker pods and status ClusterRunning; a pod deleted by hand comes back
# alone; a bad spec change is refused with the field named in the status.
set -euo pipefail
kactor=$1
fixtures=$2
source "$(dirname "$0")/../../sim/world/e2e/lib.sh"

start_sim
use_kubectl

k create namespace kafka >/dev/null
k apply -n kafka --validate=false -f "$fixtures/koperator-samples/simplekafkacluster.yaml" >/dev/null
wait_for ClusterRunning get kafkacluster kafka -n kafka -o 'jsonpath={.status.state}'
ready=$(k get pods -n kafka -l app=kafka -o 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}')
[ "$ready" = "True True True" ] || fail "three Ready pods, got '$ready'"
pods=$(k get pods -n kafka -l app=kafka -o name)
[ "$(echo "$pods" | wc -l)" = 3 ] || fail "three broker pods, got: $pods"
[ "$(k get pvc -n kafka -l app=kafka -o name | wc -l)" = 3 ] || fail "three PVCs"
[ "$(k get kafkacluster kafka -n kafka -o 'jsonpath={.status.brokersState.1.configurationState}')" = ConfigInSync ] \
  || fail "broker 1 in sync"

uid0=$(k get pod kafka-0 -n kafka -o 'jsonpath={.metadata.uid}')
uid1=$(k get pod kafka-1 -n kafka -o 'jsonpath={.metadata.uid}')
k delete pod kafka-1 -n kafka --wait=false >/dev/null
for _ in $(seq 300); do
  now=$(k get pod kafka-1 -n kafka -o 'jsonpath={.metadata.uid}' 2>/dev/null || true)
  [ -n "$now" ] && [ "$now" != "$uid1" ] && break
  sleep 0.2
done
[ -n "$now" ] && [ "$now" != "$uid1" ] || fail "kafka-1 recreated"
[ "$(k get pod kafka-0 -n kafka -o 'jsonpath={.metadata.uid}')" = "$uid0" ] || fail "kafka-0 untouched"
wait_for ClusterRunning get kafkacluster kafka -n kafka -o 'jsonpath={.status.state}'

k patch kafkacluster kafka -n kafka --type=json -p '[{"op":"replace","path":"/spec/brokers/2/id","value":1}]' >/dev/null
wait_for False get kafkacluster kafka -n kafka -o 'jsonpath={.status.conditions[?(@.type=="SpecValid")].status}'
msg=$(k get kafkacluster kafka -n kafka -o 'jsonpath={.status.conditions[?(@.type=="SpecValid")].message}')
case "$msg" in *"spec.brokers[2].id"*) ;; *) fail "condition names the field: $msg" ;; esac
[ "$(k get pod kafka-0 -n kafka -o 'jsonpath={.metadata.uid}')" = "$uid0" ] || fail "invalid spec touched nothing"
echo "sim operator e2e: ok"
