#!/usr/bin/env bash
# `kactor sim --serve` over plain HTTP with curl: bearer-token auth, malformed requests answered with
# Status errors (and the server surviving them), and every fault switch.
set -euo pipefail
kactor=$1
source "$(dirname "$0")/lib.sh"

start_sim --token s3cret
url=$(sed -n 's/.*server: *//p' "$work/kubeconfig" | head -1)
auth=(-H "Authorization: Bearer s3cret")
# code METHOD PATH [curl args...]: prints the HTTP status
code() { local m=$1 p=$2; shift 2; curl -s -o "$work/body" -w '%{http_code}' -X "$m" "${auth[@]}" "$@" "$url$p"; }
field() { python3 -c "import json,sys; print(json.load(open('$work/body'))$1)"; }

echo "== auth"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/pods")" = 401 ] || fail "no token must be 401"
[ "$(code GET /api/v1/pods)" = 200 ] || fail "token accepted"

echo "== malformed requests get Status errors"
[ "$(code POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' --data '{bad')" = 400 ] || fail "bad JSON"
[ "$(field '["reason"]')" = BadRequest ] || fail "bad JSON reason"
[ "$(code POST /api/v1/namespaces/default/configmaps -H 'Content-Type: text/plain' --data 'x')" = 415 ] || fail "content type"
[ "$(code GET /api/v1/namespaces/default/frobs)" = 404 ] || fail "unknown resource"
[ "$(field '["kind"]')" = Status ] || fail "unknown resource answers a Status"
head -c 4000000 /dev/zero | tr '\0' 'a' > "$work/huge"
[ "$(code POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' --data-binary @"$work/huge")" = 413 ] \
  || fail "huge body must be 413"
[ "$(code POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' \
     --data '{"metadata":{"name":"ok"}}')" = 201 ] || fail "server still serves after bad input"

echo "== API faults"
[ "$(code POST /sim/faults/api --data '{"rules":[{"verb":"get","resource":"configmaps","name":"ok","code":500}]}')" = 200 ] \
  || fail "set rules"
[ "$(code GET /api/v1/namespaces/default/configmaps/ok)" = 500 ] || fail "injected 500"
[ "$(code GET /api/v1/namespaces/default/configmaps)" = 200 ] || fail "other verbs unaffected"
code POST /sim/faults/api --data '{"rules":[{"verb":"list","code":429}]}' >/dev/null
headers=$(curl -s -D - -o /dev/null "${auth[@]}" "$url/api/v1/namespaces/default/configmaps")
grep -q '^HTTP/1.1 429' <<<"$headers" || fail "injected 429"
grep -qi '^Retry-After: 1' <<<"$headers" || fail "429 carries Retry-After"
code POST /sim/faults/api --data '{"rules":[{"verb":"get","latencyMs":600}]}' >/dev/null
start=$(date +%s%N)
[ "$(code GET /api/v1/namespaces/default/configmaps/ok)" = 200 ] || fail "latency rule still answers"
[ $(( ($(date +%s%N) - start) / 1000000 )) -ge 550 ] || fail "latency applied"
code POST /sim/faults/api --data '{"rules":[{"verb":"get","hang":true}]}' >/dev/null
if curl -s --max-time 1 "${auth[@]}" "$url/api/v1/namespaces/default/configmaps/ok" >/dev/null; then fail "hang"; fi
[ "$(code POST /sim/faults/api --data '{"rules":[{"rate":3}]}')" = 400 ] || fail "bad rule rejected"
grep -q 'rules\[0\].rate' "$work/body" || fail "bad rule names the field"
code POST /sim/faults/api --data '{"rules":[]}' >/dev/null
[ "$(code GET /api/v1/namespaces/default/configmaps/ok)" = 200 ] || fail "rules cleared"

echo "== kubelet faults"
code POST /api/v1/namespaces/default/pods -H 'Content-Type: application/json' \
  --data '{"metadata":{"name":"p"},"spec":{"containers":[{"name":"kafka","image":"kafka"}]}}' >/dev/null
phase() { code GET /api/v1/namespaces/default/pods/p >/dev/null; field '.get("status",{}).get("phase","")'; }
ready() { code GET /api/v1/namespaces/default/pods/p >/dev/null;
          field '.get("status",{}).get("conditions",[{}])[-1].get("status","")'; }
# Readiness itself is covered by the kubelet unit tests; this checks the fault switches over HTTP.
for _ in $(seq 200); do [ "$(phase)" = Running ] && break; sleep 0.1; done
[ "$(phase)" = Running ] || { cat "$work/body"; fail "pod starts running"; }
node=$(field '["spec"]["nodeName"]')
code POST /sim/faults/node --data "{\"node\":\"$node\",\"ready\":false}" >/dev/null
for _ in $(seq 200); do [ "$(ready)" = False ] && break; sleep 0.1; done
[ "$(ready)" = False ] || fail "node down makes its pod NotReady"
code POST /sim/faults/node --data "{\"node\":\"$node\",\"ready\":true}" >/dev/null
[ "$(code POST /sim/faults/kill-container --data '{"namespace":"default","pod":"p"}')" = 200 ] || fail "kill"
for _ in $(seq 200); do code GET /api/v1/namespaces/default/pods/p >/dev/null; [ "$(field '["status"]["phase"]')" = Failed ] && break; sleep 0.1; done
[ "$(field '["status"]["phase"]')" = Failed ] || fail "killed container fails the pod"
[ "$(code POST /sim/faults/disk --data '{"namespace":"default","pvc":"nope"}')" = 404 ] || fail "unknown disk"

echo "== watches: drop and compact"
curl -s -N --max-time 10 "${auth[@]}" "$url/api/v1/namespaces/default/configmaps?watch=1" > "$work/watch" &
watch_pid=$!
sleep 0.5
code POST /sim/faults/drop-watches >/dev/null
for _ in $(seq 100); do kill -0 $watch_pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $watch_pid 2>/dev/null; then fail "dropped watch ends"; fi
grep -q '"ok"' "$work/watch" || fail "watch streamed the initial state"
code GET /sim/stats >/dev/null
rv=$(field '["resourceVersion"]')
code POST /sim/faults/compact >/dev/null
curl -s --max-time 5 "${auth[@]}" "$url/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$((rv - 1))" > "$work/gone"
grep -q '"code":410' "$work/gone" || fail "watch from before compaction gets 410: $(cat "$work/gone")"
echo "sim serve e2e: ok"
