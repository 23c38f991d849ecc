#!/usr/bin/env bash
# kactor under deploy/rbac.yaml's ServiceAccount, on the simulated API server, which holds ServiceAccount
# tokens to RBAC as kube-apiserver does. deploy/rbac.yaml is applied with the real kubectl, bound per
# namespace as its header says for `--namespaces` (the ClusterRoleBinding replaced by a RoleBinding of the
# ClusterRole in each managed namespace), and the account's token comes from `kubectl create token`.
#   1. The operator inside `kactor sim --serve --operator-serviceaccount kactor-system/kactor`, in namespace
#      kafka: a cluster is created and Ready, rolls for a read-only config change (every pod deleted and
#      recreated), and loses broker 2 through Cruise Control (operation, pod, ConfigMap, Service and PVCs
#      gone) — with no request refused. On the way an alert (addPvc, posted to the operator's receiver) gives
#      broker 1 a disk, and the cluster names a Secret with Cruise Control credentials, readable by the
#      account through a Role with resourceNames exactly as deploy/rbac.yaml's header says. (`kactor run` reaches Kafka through librdkafka, which the simulated
#      Kafka does not speak: without Kafka's answers it holds rolls and deletions, so these run in-process.)
#   2. `kactor run --kubeconfig <the account's kubeconfig> --namespaces kafka-run,kafka-run-2` (a watch per
#      namespace) with leader election in kactor-system: its Lease, a Ready cluster, Events — no request refused.
#   3. Negative: the same rules but `update` on kafkaclusters/status, for another account in kafka-weak:
#      kactor run creates the pods but never writes the status, and logs the 403 in kube-apiserver's words.
#      A too-permissive authorizer fails here.
# And the account can do nothing where it is not bound (a kubectl get in another namespace is Forbidden).
set -euo pipefail
kactor=$1
repo=$2
source "$(dirname "$0")/../sim/world/e2e/lib.sh"
started=$(date +%s)

pids=()
stop_runs() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap 'stop_runs; cleanup' EXIT
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
# A refusal as kactor logs it (the Status' reason or its code; not a timestamp's milliseconds).
forbidden_in() { grep -i -E 'forbidden|[^.0-9]403[^0-9]' "$1" || true; }

# TLS: kubectl (client-go) sends a kubeconfig's token only over HTTPS (and without one asks for a password).
admin_token=admin-$RANDOM$RANDOM
alerts_port=$(free_port)
start_sim --tls --token "$admin_token" --operator-serviceaccount kactor-system/kactor --watch-namespace kafka \
  --alerts-addr "127.0.0.1:$alerts_port"
use_kubectl
k create namespace kactor-system >/dev/null
for ns in kafka kafka-run kafka-run-2 kafka-weak elsewhere; do k create namespace "$ns" >/dev/null; done

# deploy/rbac.yaml bound in the namespaces given, for the account named; with `drop`, one grant removed
# (GROUP/RESOURCE:VERB). The ServiceAccount goes last: the in-process operator starts as soon as it exists,
# and must find its grants already there.
rbac_for() {
  python3 - "$repo/deploy/rbac.yaml" "$@" <<'PY'
import sys, yaml
path, account, namespaces, drop = sys.argv[1], sys.argv[2], sys.argv[3].split(","), (sys.argv[4:] or [""])[0]
docs = [d for d in yaml.safe_load_all(open(path)) if d]
out, account_doc = [], None
for d in docs:
    kind = d["kind"]
    if kind == "ServiceAccount":
        d["metadata"]["name"] = account
        account_doc = d
        continue
    if kind == "ClusterRole":
        d["metadata"]["name"] = account
        if drop:
            group, rest = drop.split("/", 1)
            resource, verb = rest.rsplit(":", 1)
            for rule in d["rules"]:
                if group in rule["apiGroups"] and resource in rule["resources"] and verb in rule["verbs"]:
                    assert rule["resources"] == [resource], "drop from a rule of one resource"
                    rule["verbs"].remove(verb)
            d["rules"] = [r for r in d["rules"] if r["verbs"]]
    if kind == "Role":
        d["metadata"]["name"] = account + "-" + d["metadata"]["name"]
    if kind == "RoleBinding":
        d["metadata"]["name"] = account + "-" + d["metadata"]["name"]
        d["roleRef"]["name"] = account + "-" + d["roleRef"]["name"]
    if kind == "ClusterRoleBinding":
        # What rbac.yaml's header prescribes for --namespaces: the ClusterRole bound in each namespace.
        for ns in namespaces:
            out.append({"apiVersion": d["apiVersion"], "kind": "RoleBinding",
                        "metadata": {"name": account, "namespace": ns},
                        "roleRef": dict(d["roleRef"], name=account),
                        "subjects": [dict(s, name=account) for s in d["subjects"]]})
        continue
    for s in d.get("subjects", []):
        s["name"] = account
    out.append(d)
print(yaml.safe_dump_all(out + [account_doc]))
PY
}
rbac_for kactor kafka,kafka-run,kafka-run-2 > "$work/rbac.yaml"
rbac_for kactor-weak kafka-weak kafka.banzaicloud.io/kafkaclusters/status:update > "$work/rbac-weak.yaml"
grep -q 'kind: ClusterRoleBinding' "$work/rbac.yaml" && fail "the per-namespace RBAC has no ClusterRoleBinding"
k apply -f "$work/rbac.yaml" >/dev/null || fail "kubectl apply deploy/rbac.yaml (bound per namespace)"
k apply -f "$work/rbac-weak.yaml" >/dev/null || fail "kubectl apply the weakened copy"

# The account's credentials, as a user would make them.
token=$(k create token kactor -n kactor-system) || fail "kubectl create token"
weak_token=$(k create token kactor-weak -n kactor-system) || fail "kubectl create token (weak)"
cp "$KUBECONFIG" "$work/sa.kubeconfig"; cp "$KUBECONFIG" "$work/weak.kubeconfig"
kubectl config --kubeconfig "$work/sa.kubeconfig" set-credentials kactor-sim --token="$token" >/dev/null
kubectl config --kubeconfig "$work/weak.kubeconfig" set-credentials kactor-sim --token="$weak_token" >/dev/null
as_sa() { k --kubeconfig "$work/sa.kubeconfig" "$@"; }
as_sa get pods -n kafka >/dev/null || fail "the account lists pods where it is bound"
denied=$(as_sa get pods -n elsewhere 2>&1 || true)
case "$denied" in
  *'pods is forbidden: User "system:serviceaccount:kactor-system:kactor" cannot list resource "pods" in API group "" in the namespace "elsewhere"'*) ;;
  *) fail "kubectl as the account elsewhere is Forbidden in kube-apiserver's words, got: $denied" ;;
esac
denied=$(as_sa delete namespace elsewhere 2>&1 || true)
case "$denied" in *Forbidden*|*forbidden*) ;; *) fail "the account cannot delete a namespace, got: $denied" ;; esac

# 1. The in-process operator as the account: create, roll, remove through Cruise Control.
for _ in $(seq 100); do grep -q "operator running as system:serviceaccount:kactor-system:kactor" "$work/server.log" && break; sleep 0.1; done
grep -q "operator running as" "$work/server.log" || { cat "$work/server.log"; fail "the operator started as the account"; }
k apply -n kafka -f "$repo/deploy/samples/kafkacluster.yaml" >/dev/null
wait_for ClusterRunning get kafkacluster kafka -n kafka -o 'jsonpath={.status.state}'
wait_for "True True True" get pods -n kafka -l app=kafka -o 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}'
curl -sk -H "Authorization: Bearer $admin_token" -X POST "$sim_url/sim/kafka/topics" -d '{"namespace":"kafka","cluster":"kafka","name":"orders","partitions":6,"replicationFactor":2,"minInsyncReplicas":1}' \
  >/dev/null || fail "topic"
uids() { k get pods -n kafka -l app=kafka -o 'jsonpath={range .items[*]}{.metadata.name}={.metadata.uid} {end}'; }
before=$(uids)
k patch kafkacluster kafka -n kafka --type=merge \
  -p '{"spec":{"readOnlyConfig":"auto.create.topics.enable=false\ndefault.replication.factor=3\nmin.insync.replicas=2\nlog.retention.hours=100\n"}}' >/dev/null
for _ in $(seq 450); do
  after=$(uids)
  changed=0
  for p in $before; do grep -qF -- "$p" <<< "$after" || changed=$((changed + 1)); done
  [ "$changed" = 3 ] && [ "$(wc -w <<< "$after")" = 3 ] && break
  sleep 0.2
done
[ "$changed" = 3 ] || { tail -30 "$work/server.log"; fail "the roll restarted every broker (restarted $changed of 3)"; }
wait_for "True True True" get pods -n kafka -l app=kafka -o 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}'
roll_done=$(( $(date +%s) - started ))

# An alert acted on under the account: the alert actor edits the spec, broker 1's actor adds the disk.
pvcs_of() { k get pvc -n kafka -l "brokerId=$1" -o name | wc -l; }
before1=$(pvcs_of 1)
code -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$alerts_port/" -d '{"version":"4","status":"firing","alerts":[
  {"status":"firing","labels":{"alertname":"KafkaBrokerDiskAlmostFull","namespace":"kafka","kafka_cr":"kafka","brokerId":"1"},
   "annotations":{"command":"addPvc","mountPathPrefix":"/kafka-logs","diskSize":"2Gi"},
   "startsAt":"2026-12-07T00:00:00Z","fingerprint":"rbac-e2e-1"}]}' > "$work/alert.code"
case "$(cat "$work/alert.code")" in 200|202) ;; *) fail "the alert receiver took the alert, got $(cat "$work/alert.code")" ;; esac
for _ in $(seq 300); do [ "$(pvcs_of 1)" -gt "$before1" ] && break; sleep 0.2; done
[ "$(pvcs_of 1)" = $((before1 + 1)) ] || { tail -30 "$work/server.log"; fail "the alert gave broker 1 one disk (had $before1, has $(pvcs_of 1))"; }
[ -n "$(k get events -n kafka --field-selector reason=AlertActedOn -o name)" ] || fail "an AlertActedOn Event"

# Cruise Control credentials from a Secret, readable by name only (deploy/rbac.yaml's header).
# (kubectl apply: its `create secret`/`create role` subcommands send protobuf, which the simulated server refuses)
cc_password="p$RANDOM$RANDOM$RANDOM"
cc_endpoint=https://kafka-cruisecontrol.kafka.svc:8090
k apply -f - >/dev/null <<YML || fail "the Secrets and the Role"
apiVersion: v1
kind: Secret
metadata: {name: cc-admin, namespace: kafka}
type: kubernetes.io/basic-auth
stringData: {username: admin, password: "$cc_password", endpoint: "$cc_endpoint"}
---
apiVersion: v1
kind: Secret
metadata: {name: unrelated, namespace: kafka}
stringData: {token: not-for-kactor}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: kactor-cc-admin, namespace: kafka}
rules: [{apiGroups: [""], resources: [secrets], resourceNames: [cc-admin], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: kactor-cc-admin, namespace: kafka}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: kactor-cc-admin}
subjects: [{kind: ServiceAccount, name: kactor, namespace: kactor-system}]
YML
as_sa get secret cc-admin -n kafka >/dev/null || fail "the account reads the named Secret"
denied=$(as_sa get secrets -n kafka 2>&1 || true)
case "$denied" in *forbidden*) ;; *) fail "the account cannot list Secrets, got: $denied" ;; esac
denied=$(as_sa get secret unrelated -n kafka 2>&1 || true)
case "$denied" in *forbidden*) ;; *) fail "the account cannot read another Secret, got: $denied" ;; esac
k patch kafkacluster kafka -n kafka --type=merge \
  -p "{\"spec\":{\"cruiseControlConfig\":{\"cruiseControlEndpoint\":\"$cc_endpoint\",\"credentialsSecretRef\":{\"name\":\"cc-admin\"}}}}" >/dev/null
for _ in $(seq 100); do grep -q "Cruise Control endpoint or credentials changed" "$work/server.log" && break; sleep 0.1; done
grep -q "Cruise Control endpoint or credentials changed" "$work/server.log" || { tail -30 "$work/server.log"; fail "the operator read the Secret and made a client with it"; }

k patch kafkacluster kafka -n kafka --type=json -p '[{"op":"remove","path":"/spec/brokers/2"}]' >/dev/null
gone() { [ -z "$(k get pods,configmaps,services,pvc -n kafka -l brokerId=2 -o name 2>/dev/null)" ]; }
# Operations may be deleted once finished (ttlSecondsAfterFinished): what they showed is kept meanwhile.
ops=""
for _ in $(seq 450); do
  ops+=$(k get cruisecontroloperations -n kafka -o 'jsonpath={range .items[*]}{.status.currentTask.operation}={.status.currentTask.state} {end}')
  gone && break
  sleep 0.2
done
gone || { tail -30 "$work/server.log"; k get pods,configmaps,services,pvc -n kafka -l brokerId=2 -o name; fail "broker 2's objects deleted"; }
case "$ops" in *remove_broker=Completed*) ;; *) fail "broker 2 left through a Cruise Control remove_broker, operations: '$ops'" ;; esac
[ -n "$(k get events -n kafka --field-selector reason=BrokerRemoved -o name)" ] || fail "a BrokerRemoved Event"
[ -z "$(k get events -n kafka --field-selector reason=CruiseControlCredentials -o name)" ] || fail "the credentials were read without a warning"
[ -z "$(k get events -n kafka --field-selector reason=CruiseControlClient -o name)" ] || fail "a client was made with them"
! grep -qF "$cc_password" "$work/server.log" || fail "the Cruise Control password is in the operator's log"
! grep -qF "$cc_password" <<< "$(k get events -n kafka -o yaml)" || fail "the Cruise Control password is in an Event"
found=$(forbidden_in "$work/server.log")
[ -z "$found" ] || fail "the in-process operator was refused: $found"

# 2. kactor run as the account: Lease, a cluster, Events.
m=$(free_port); h=$(free_port)
"$kactor" run --kubeconfig "$work/sa.kubeconfig" --namespaces kafka-run,kafka-run-2 --enable-leader-election \
  --leader-election-namespace kactor-system --metrics-addr "127.0.0.1:$m" --health-addr "127.0.0.1:$h" --alerts-addr 0 \
  --disable-cruise-control > "$work/run.log" 2>&1 &
pids+=($!)
# 3. The weakened account at the same time.
"$kactor" run --kubeconfig "$work/weak.kubeconfig" --namespaces kafka-weak --metrics-addr 0 --health-addr 0 --alerts-addr 0 \
  --disable-cruise-control > "$work/weak.log" 2>&1 &
pids+=($!)
sed 's/namespace: kafka$/namespace: kafka-run/' "$repo/deploy/samples/kafkacluster.yaml" | k apply -f - >/dev/null
sed 's/namespace: kafka$/namespace: kafka-weak/' "$repo/deploy/samples/kafkacluster.yaml" | k apply -f - >/dev/null
wait_for ClusterRunning get kafkacluster kafka -n kafka-run -o 'jsonpath={.status.state}'
holder=$(k get lease kactor-leader -n kactor-system -o 'jsonpath={.spec.holderIdentity}')
[ -n "$holder" ] || fail "kactor run holds its Lease"
[ "$(code "http://127.0.0.1:$h/readyz")" = 200 ] || fail "kactor run is ready"
# Events go out behind every other write (the client's background lane), so they may trail the status.
# (Never `kubectl … | grep -q` under pipefail: grep leaving early makes kubectl die of SIGPIPE, and the
# pipeline fail although it matched — this test's one flake.)
run_events() { k get events -n kafka-run -o name 2>/dev/null || true; }
for _ in $(seq 100); do [ -n "$(run_events)" ] && break; sleep 0.2; done
[ -n "$(run_events)" ] || { tail -40 "$work/run.log"; k get events -A -o name | head; fail "kactor run recorded Events"; }
found=$(forbidden_in "$work/run.log")
[ -z "$found" ] || fail "kactor run was refused: $found"

for _ in $(seq 150); do
  [ "$(k get pods -n kafka-weak -l app=kafka -o name | wc -l)" = 3 ] && break
  sleep 0.2
done
[ "$(k get pods -n kafka-weak -l app=kafka -o name | wc -l)" = 3 ] || { tail -20 "$work/weak.log"; fail "the weakened account still creates pods"; }
for _ in $(seq 100); do grep -q 'kafkaclusters/status' "$work/weak.log" && break; sleep 0.1; done
grep -qF 'kafkaclusters.kafka.banzaicloud.io \"kafka\" is forbidden: User \"system:serviceaccount:kactor-system:kactor-weak\" cannot update resource \"kafkaclusters/status\" in API group \"kafka.banzaicloud.io\" in the namespace \"kafka-weak\"' "$work/weak.log" \
  || grep -qF 'kafkaclusters.kafka.banzaicloud.io "kafka" is forbidden: User "system:serviceaccount:kactor-system:kactor-weak" cannot update resource "kafkaclusters/status" in API group "kafka.banzaicloud.io" in the namespace "kafka-weak"' "$work/weak.log" \
  || { tail -20 "$work/weak.log"; fail "without kafkaclusters/status update, kactor run logs kube-apiserver's refusal"; }
[ -z "$(k get kafkacluster kafka -n kafka-weak -o 'jsonpath={.status.state}')" ] || fail "without the grant no status was written"
echo "rbac e2e: ok (roll done after ${roll_done} s, total $(( $(date +%s) - started )) s)"
