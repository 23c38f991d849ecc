#!/usr/bin/env bash
# The real kubectl against `kactor sim --serve` on loopback: CRDs, a Koperator KafkaCluster sample,
# get -o json/yaml, patch, watch, label, delete by selector, finalizers, describe, replace, server-side apply.
set -euo pipefail
kactor=$1
fixtures=$2
source "$(dirname "$0")/lib.sh"

start_sim --no-operator

export HOME=$work KUBECONFIG=$work/kubeconfig
k() { kubectl --cache-dir "$work/cache" --request-timeout=20s "$@"; }

echo "== CRDs (create: Koperator's KafkaCluster CRD is too big for client-side apply)"
for crd in "$fixtures"/koperator-crds/*.yaml; do k create -f "$crd" >/dev/null; done
k get crd kafkaclusters.kafka.banzaicloud.io -o jsonpath='{.spec.names.kind}' | grep -cx KafkaCluster >/dev/null \
  || fail "CRD not listed"
if k apply -f "$fixtures/koperator-crds/kafka.banzaicloud.io_kafkaclusters.yaml" >/dev/null 2>"$work/err"; then
  fail "client-side apply of a 1.6 MB CRD must fail as on a real API server"
fi
grep -q "Too long" "$work/err" || fail "expected the annotations size error, got: $(cat "$work/err")"

echo "== apply a KafkaCluster sample and read it back"
k create namespace kafka >/dev/null # kubectl's typed generators send protobuf
k apply -n kafka -f "$fixtures/koperator-samples/simplekafkacluster.yaml" >/dev/null
brokers=$(k get kafkacluster kafka -n kafka -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["spec"]["brokers"]))')
[ "$brokers" = 3 ] || fail "expected 3 brokers, got $brokers"
k get kafkaclusters -n kafka | grep -c '^kafka ' >/dev/null || fail "table output lists the cluster"
k get kafkacluster kafka -n kafka -o yaml | grep -c 'kind: KafkaCluster' >/dev/null || fail "-o yaml"
k apply -n kafka -f "$fixtures/koperator-samples/simplekafkacluster.yaml" | grep -c unchanged >/dev/null || fail "re-apply is unchanged"

echo "== watch sees a patch"
k get kafkacluster kafka -n kafka -w -o jsonpath='{.spec.clusterImage}{"\n"}' > "$work/watch.out" 2>&1 &
watch_pid=$!
sleep 2
k patch kafkacluster kafka -n kafka --type merge -p '{"spec":{"clusterImage":"kafka:patched"}}' >/dev/null
for _ in $(seq 200); do grep -q 'kafka:patched' "$work/watch.out" && break; sleep 0.1; done
kill $watch_pid 2>/dev/null || true
wait $watch_pid 2>/dev/null || true
grep -q 'kafka:patched' "$work/watch.out" || fail "watch did not see the patch: $(cat "$work/watch.out")"
[ "$(k get kafkacluster kafka -n kafka -o jsonpath='{.metadata.generation}')" = 2 ] || fail "generation bumped once"

echo "== pods: label, delete by selector"
cat > "$work/pods.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: kafka-0, labels: {app: kafka}}
spec: {containers: [{name: kafka, image: kafka}]}
---
apiVersion: v1
kind: Pod
metadata: {name: kafka-1, labels: {app: kafka}}
spec: {containers: [{name: kafka, image: kafka}]}
---
apiVersion: v1
kind: Pod
metadata: {name: other, labels: {app: other}}
spec: {containers: [{name: x, image: x}]}
YAML
k apply -n kafka -f "$work/pods.yaml" >/dev/null
k label pod kafka-1 -n kafka extra=yes >/dev/null
[ "$(k get pods -n kafka -l extra=yes -o jsonpath='{.items[*].metadata.name}')" = kafka-1 ] || fail "label selector"
k delete pods -n kafka -l app=kafka >/dev/null
[ "$(k get pods -n kafka -o jsonpath='{.items[*].metadata.name}')" = other ] || fail "delete by selector"

echo "== finalizers keep an object until removed"
k create -n kafka -f - >/dev/null <<'YAML'
{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "held", "finalizers": ["example.com/hold"]}}
YAML
k delete configmap held -n kafka --wait=false >/dev/null
[ -n "$(k get configmap held -n kafka -o jsonpath='{.metadata.deletionTimestamp}')" ] || fail "deletionTimestamp set"
k patch configmap held -n kafka --type json -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null
if k get configmap held -n kafka >/dev/null 2>&1; then fail "object gone after its finalizer"; fi

echo "== typed generators (protobuf bodies)"
k create configmap gen -n kafka --from-literal=a=1 >/dev/null
[ "$(k get configmap gen -n kafka -o jsonpath='{.data.a}')" = 1 ] || fail "create configmap"
k create secret generic s -n kafka --from-literal=p=pw >/dev/null
[ "$(k get secret s -n kafka -o jsonpath='{.data.p}')" = cHc= ] || fail "create secret (base64 data)"

echo "== describe, replace, server-side apply, create"
k describe kafkacluster kafka -n kafka | grep -c 'Name:.*kafka' >/dev/null || fail "describe"
k get kafkacluster kafka -n kafka -o json > "$work/kc.json"
python3 - "$work/kc.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["spec"]["zkPath"] = "/replaced"; json.dump(d, open(sys.argv[1], "w"))
PY
k replace -f "$work/kc.json" >/dev/null
[ "$(k get kafkacluster kafka -n kafka -o jsonpath='{.spec.zkPath}')" = /replaced ] || fail "replace"
cat > "$work/ssa.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: ssa, namespace: kafka}
data: {a: "1"}
YAML
k apply --server-side -f "$work/ssa.yaml" >/dev/null
[ "$(k get configmap ssa -n kafka -o jsonpath='{.data.a}')" = 1 ] || fail "server-side apply"
if k create -f "$work/ssa.yaml" >/dev/null 2>"$work/err"; then fail "create of an existing object"; fi
grep -q AlreadyExists "$work/err" || fail "AlreadyExists reported: $(cat "$work/err")"
k delete namespace kafka >/dev/null
if k get kafkacluster kafka -n kafka >/dev/null 2>&1; then fail "namespace deletion removes its objects"; fi

echo "== HTTPS with a generated certificate and a token: kubectl verifies the server"
start_sim --no-operator --tls --token t0k
grep -q 'server: https://' "$work/kubeconfig" || fail "https kubeconfig"
grep -q 'certificate-authority-data' "$work/kubeconfig" || fail "CA embedded"
k get namespaces -o name > "$work/ns" 2>&1 || true
grep -q namespace/default "$work/ns" || fail "kubectl over TLS: $(cat "$work/ns")"
sed 's/certificate-authority-data: .*/certificate-authority-data: bm90IGEgY2VydA==/' "$work/kubeconfig" > "$work/wrong-ca"
if KUBECONFIG=$work/wrong-ca k get namespaces >/dev/null 2>&1; then fail "a wrong CA must be rejected"; fi
sed 's/token: .*/token: wrong/' "$work/kubeconfig" > "$work/wrong-token"
if KUBECONFIG=$work/wrong-token k get namespaces >/dev/null 2>"$work/err"; then fail "a wrong token must be rejected"; fi
grep -qi unauthorized "$work/err" || fail "401 reported as Unauthorized: $(cat "$work/err")"
echo "kubectl e2e: ok"
