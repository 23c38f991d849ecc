#!/usr/bin/env bash
# `kactor run` as a process against `kactor sim --serve --no-operator` (the simulated control plane alone),
# driven by the real kubectl: the CRDs from deploy/ are applied client-side; a KafkaCluster converges under
# the leader; /metrics, /healthz and /readyz answer; a second `kactor run` stands by; SIGTERM stops the
# leader within 10 s and releases the Lease, and the second one takes it and reconciles.
set -euo pipefail
kactor=$1
repo=$2
source "$(dirname "$0")/../../sim/world/e2e/lib.sh"

pids=()
stop_runs() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap 'stop_runs; cleanup' EXIT
start_sim --no-operator
use_kubectl
get() { curl -s --max-time 5 "$@"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }

# Every manifest of deploy/, client-side as a user would (the PrometheusRule needs prometheus-operator's
# CRD: a minimal one stands in for it).
k apply -f "$repo/deploy/crds/" >/dev/null
wait_for True get crd kafkaclusters.kafka.banzaicloud.io -o 'jsonpath={.status.conditions[?(@.type=="Established")].status}'
k apply -f - >/dev/null <<'YML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: prometheusrules.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  names: {kind: PrometheusRule, plural: prometheusrules, singular: prometheusrule, listKind: PrometheusRuleList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
YML
wait_for True get crd prometheusrules.monitoring.coreos.com -o 'jsonpath={.status.conditions[?(@.type=="Established")].status}'
k apply -f "$repo/deploy/operator.yaml" -f "$repo/deploy/rbac.yaml" >/dev/null || fail "kubectl apply deploy/operator.yaml and rbac.yaml"
k apply -n kactor-system -f "$repo/deploy/prometheus/prometheusrule.yaml" >/dev/null || fail "kubectl apply the PrometheusRule"
k create namespace kafka >/dev/null
# Every KafkaCluster sample of Koperator's is accepted by the CRD as applied (the simulated API server
# validates against its schema) — but the one Koperator's own CRD rejects too. Applied to a namespace the
# operators below do not watch (--namespaces kafka), each under its own name.
k create namespace samples >/dev/null
python3 - "$repo/../shared/fixtures/koperator-samples" "$work/samples" <<'PY'
import glob, os, sys, yaml
os.makedirs(sys.argv[2])
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml") + glob.glob(sys.argv[1] + "/kraft/*.yaml")):
    if path.endswith("banzaicloud_v1beta1_kafkacluster.yaml"):
        continue  # invalid against Koperator's own CRD (rollingUpgradeConfig missing)
    for i, doc in enumerate(d for d in yaml.safe_load_all(open(path)) if d and d.get("kind") == "KafkaCluster"):
        doc["metadata"] = {"name": os.path.basename(path)[:-5].replace("_", "-").lower() + "-" + str(i), "namespace": "samples"}
        yaml.safe_dump(doc, open(os.path.join(sys.argv[2], os.path.basename(path)[:-5] + "-" + str(i) + ".yaml"), "w"))
PY
for f in "$work"/samples/*.yaml; do
  k apply -f "$f" >/dev/null 2>"$work/apply.err" || { cat "$work/apply.err"; fail "sample $(basename "$f") refused"; }
done
[ "$(ls "$work"/samples | wc -l)" -ge 15 ] || fail "the samples were found"

m1=$(free_port); h1=$(free_port); a1=$(free_port)
echo s3cret > "$work/alerts-token"
"$kactor" run --kubeconfig "$KUBECONFIG" --namespaces kafka --enable-leader-election --leader-election-namespace default \
  --metrics-addr "127.0.0.1:$m1" --health-addr "127.0.0.1:$h1" --alerts-addr "127.0.0.1:$a1" \
  --alerts-bearer-token-file "$work/alerts-token" > "$work/run1.log" 2>&1 &
run1=$!; pids+=("$run1")
for _ in $(seq 100); do [ "$(code "http://127.0.0.1:$h1/readyz")" = 200 ] && break; sleep 0.1; done
[ "$(code "http://127.0.0.1:$h1/healthz")" = 200 ] || { cat "$work/run1.log"; fail "/healthz"; }
# Output captured before grep: `get | grep -q` lets curl die of SIGPIPE, failing the pipeline under pipefail.
for _ in $(seq 150); do grep -q '^kactor_leader 1' <<< "$(get "http://127.0.0.1:$m1/metrics")" && break; sleep 0.1; done
grep -q '^kactor_leader 1' <<< "$(get "http://127.0.0.1:$m1/metrics")" || { cat "$work/run1.log"; fail "run 1 leads"; }

k apply -n kafka -f "$repo/deploy/samples/kafkacluster.yaml" >/dev/null
wait_for ClusterRunning get kafkacluster kafka -n kafka -o 'jsonpath={.status.state}'
# The alert receiver answers (an alert without a command changes nothing).
[ "$(code -X POST -H 'Content-Type: application/json' -d '[{"labels":{"alertname":"Probe"}}]' "http://127.0.0.1:$a1/")" = 401 ] \
  || fail "the alert receiver wants its token"
[ "$(code -X POST -H 'Content-Type: application/json' -H 'Authorization: Bearer s3cret' -d '[{"labels":{"alertname":"Probe"}}]' \
      "http://127.0.0.1:$a1/")" = 202 ] || fail "the alert receiver accepts alerts"
metrics=$(get "http://127.0.0.1:$m1/metrics")
for series in 'controller_runtime_reconcile_total{controller="kafkacluster",result="success"}' \
              'controller_runtime_reconcile_time_seconds_bucket{controller="broker"' 'workqueue_adds_total{name="broker"}' \
              'kactor_brokers{namespace="kafka",kafka_cr="kafka",state="ready"} 3' 'rest_client_requests_total{' \
              'kactor_alerts_received_total 1'; do
  grep -qF "$series" <<< "$metrics" || fail "/metrics lacks $series"
done

m2=$(free_port); h2=$(free_port); a2=$(free_port)
"$kactor" run --kubeconfig "$KUBECONFIG" --namespaces kafka,elsewhere --enable-leader-election --leader-election-namespace default \
  --metrics-addr "127.0.0.1:$m2" --health-addr "127.0.0.1:$h2" --alerts-addr "127.0.0.1:$a2" > "$work/run2.log" 2>&1 &
run2=$!; pids+=("$run2")
for _ in $(seq 100); do [ "$(code "http://127.0.0.1:$h2/readyz")" = 200 ] && break; sleep 0.1; done
grep -q "standing by" <<< "$(get "http://127.0.0.1:$h2/readyz")" || fail "run 2 stands by: $(get "http://127.0.0.1:$h2/readyz")"
holder1=$(k get lease kactor-leader -n default -o 'jsonpath={.spec.holderIdentity}')

start=$(date +%s%N)
kill -TERM "$run1"
rc=0; wait "$run1" || rc=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rc" = 0 ] || { cat "$work/run1.log"; fail "run 1 exits 0 on SIGTERM, got $rc"; }
[ "$elapsed_ms" -lt 10000 ] || fail "run 1 stopped in $elapsed_ms ms (limit 10 s)"
for _ in $(seq 150); do grep -q '^kactor_leader 1' <<< "$(get "http://127.0.0.1:$m2/metrics")" && break; sleep 0.1; done
grep -q '^kactor_leader 1' <<< "$(get "http://127.0.0.1:$m2/metrics")" || { cat "$work/run2.log"; fail "run 2 took the Lease"; }
holder2=$(k get lease kactor-leader -n default -o 'jsonpath={.spec.holderIdentity}')
[ "$holder2" != "$holder1" ] || fail "the Lease changed hands ($holder1)"

uid=$(k get pod kafka-1 -n kafka -o 'jsonpath={.metadata.uid}')
k delete pod kafka-1 -n kafka --wait=false >/dev/null
for _ in $(seq 300); do
  now=$(k get pod kafka-1 -n kafka -o 'jsonpath={.metadata.uid}' 2>/dev/null || true)
  [ -n "$now" ] && [ "$now" != "$uid" ] && break
  sleep 0.2
done
[ -n "$now" ] && [ "$now" != "$uid" ] || { cat "$work/run2.log"; fail "the new leader recreated kafka-1"; }
[ "$(k get pods -n samples -o name | wc -l)" = 0 ] || fail "KafkaClusters outside --namespaces are left alone"

# RBAC: every request the kactor processes made is allowed by deploy/rbac.yaml (ClusterRole + the lease Role).
curl -s "$sim_url/sim/requests" > "$work/requests.json"
python3 - "$repo/deploy/rbac.yaml" "$work/requests.json" <<'PY' || fail "deploy/rbac.yaml does not cover kactor's requests"
import json, sys, yaml
allowed = set()
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if doc and doc.get("kind") in ("ClusterRole", "Role"):
        for rule in doc["rules"]:
            for g in rule["apiGroups"]:
                for r in rule["resources"]:
                    for v in rule["verbs"]:
                        allowed.add((g, r, v))
used = {(q["group"], q["resource"], q["verb"]) for q in json.load(open(sys.argv[2])) if q["userAgent"] == "kactor"}
missing = sorted(used - allowed)
unused = sorted(allowed - used)
print("kactor made", len(used), "kinds of request; rbac.yaml grants", len(allowed))
if unused:
    print("granted but not exercised here:", unused)
if missing:
    print("NOT GRANTED:", missing)
    sys.exit(1)
PY
echo "kactor run e2e: ok (SIGTERM to exit: $elapsed_ms ms)"
