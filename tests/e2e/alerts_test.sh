#!/usr/bin/env bash
# Monitoring-based control with the real Prometheus and Alertmanager (Debian's binaries) on loopback:
# Prometheus scrapes the simulated brokers' metrics and evaluates kactor's disk rule (deploy/prometheus,
# derived from Koperator's PrometheusRule; only `for` shortened), Alertmanager posts to the alert receiver
# of the operator inside `kactor sim --serve`, and exactly the broker whose PVC fell under 20% free gets one
# new PVC. The rule reads the kubelet's per-PVC series, as in a real cluster.
set -euo pipefail
kactor=$1
repo=$2
source "$(dirname "$0")/../sim/world/e2e/lib.sh"
command -v prometheus >/dev/null && command -v prometheus-alertmanager >/dev/null || { echo "SKIP: no prometheus"; exit 0; }

pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap 'stop_all; cleanup' EXIT
alerts_port=$(free_port); prom_port=$(free_port); am_port=$(free_port)

# The receiver wants a token, and Alertmanager sends it as deploy/prometheus/alertmanager-route.yaml does
# (http_config.authorization.credentials_file).
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/alerts-token"
start_sim --alerts-addr "127.0.0.1:$alerts_port" --alerts-bearer-token-file "$work/alerts-token"
use_kubectl
metrics_url=$(grep -o "metrics at http://[^ ]*" "$work/server.log" | cut -d' ' -f3)
[ -n "$metrics_url" ] || { cat "$work/server.log"; fail "no metrics URL"; }

k create namespace kafka >/dev/null
k apply -n kafka -f "$repo/deploy/samples/kafkacluster.yaml" >/dev/null
for _ in $(seq 300); do
  [ "$(k get kafkacluster kafka -n kafka -o 'jsonpath={.status.state}' 2>/dev/null)" = ClusterRunning ] && break; sleep 0.2
done
pvcs_of() { k get pvc -n kafka -l "brokerId=$1" -o name | wc -l; }
before0=$(pvcs_of 0); before1=$(pvcs_of 1); before2=$(pvcs_of 2)
pvc1=$(k get pvc -n kafka -l brokerId=1 -o 'jsonpath={.items[0].metadata.name}')

# kactor's rule, as shipped, with `for` shortened to fit a test.
python3 - "$repo/deploy/prometheus/prometheusrule.yaml" "$work/rules.yml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
rules = [r for g in doc["spec"]["groups"] for r in g["rules"] if r.get("annotations", {}).get("command") == "addPvc"]
assert rules, "no addPvc rule"
for r in rules:
    r["for"] = "1s"
yaml.safe_dump({"groups": [{"name": "kactor", "rules": rules}]}, open(sys.argv[2], "w"))
PY
cat > "$work/prometheus.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [$work/rules.yml]
alerting: {alertmanagers: [{static_configs: [{targets: ["127.0.0.1:$am_port"]}]}]}
scrape_configs:
  - job_name: kafka
    metrics_path: /metrics
    static_configs: [{targets: ["${metrics_url#http://}"]}]
YML
sed -i "s|\"\(127.0.0.1:[0-9]*\)/metrics\"|\"\1\"|" "$work/prometheus.yml"
cat > "$work/alertmanager.yml" <<YML
route:
  receiver: kactor
  group_by: [alertname, persistentvolumeclaim]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 2s
receivers:
  - name: kactor
    webhook_configs:
      - url: "http://127.0.0.1:$alerts_port/"
        send_resolved: true
        http_config: {authorization: {type: Bearer, credentials_file: "$work/alerts-token"}}
YML
prometheus-alertmanager --config.file="$work/alertmanager.yml" --storage.path="$work/am" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= > "$work/am.log" 2>&1 &
pids+=($!)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --web.listen-address="127.0.0.1:$prom_port" > "$work/prom.log" 2>&1 &
pids+=($!)

# Broker 1's disk fills (the simulated Kafka's fault: bytes written to that volume).
curl -s -X POST "$sim_url/sim/faults/disk-usage" -d "{\"namespace\":\"kafka\",\"pvc\":\"$pvc1\",\"bytes\":1000000000000000}" >/dev/null
for _ in $(seq 450); do [ "$(pvcs_of 1)" -gt "$before1" ] && break; sleep 0.2; done
[ "$(pvcs_of 1)" = $((before1 + 1)) ] || { tail -20 "$work/server.log" "$work/prom.log" "$work/am.log"; fail "broker 1 gets one new PVC (had $before1, has $(pvcs_of 1))"; }
# The fault's bytes belong to no partition, so the new disk's rebalance cannot move them as it would move
# a real disk's data: clear them, as that rebalance would have relieved the disk. (Left in place, the PVC
# stays full, its series vanish while the pod restarts with the new disk, and the alert that fires again
# afterwards is a new occurrence: one more disk per cooldown, as in a real cluster whose disk stays full.)
curl -s -X POST "$sim_url/sim/faults/disk-usage" -d "{\"namespace\":\"kafka\",\"pvc\":\"$pvc1\",\"bytes\":0}" >/dev/null
sleep 8
[ "$(pvcs_of 1)" = $((before1 + 1)) ] || { grep -i "addPvc\|alert" "$work/server.log" | tail -20; fail "one action only, got $(pvcs_of 1) PVCs on broker 1"; }
[ "$(pvcs_of 0)" = "$before0" ] && [ "$(pvcs_of 2)" = "$before2" ] || fail "other brokers untouched"
[ -n "$(k get events -n kafka --field-selector reason=AlertActedOn -o name)" ] || fail "an AlertActedOn Event"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST -H 'Content-Type: application/json' \
         -d '[{"labels":{"alertname":"Probe"}}]' "http://127.0.0.1:$alerts_port/")
[ "$code" = 401 ] || fail "without the token the receiver answers 401, got $code"
echo "alerts e2e: ok"
