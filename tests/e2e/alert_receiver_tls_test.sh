#!/usr/bin/env bash
# The alert receiver with TLS client certificates (--alerts-tls-client-ca), as `kactor sim --serve` takes
# `kactor run`'s flags: certificates made by the openssl CLI; curl without a client certificate fails the
# handshake, one signed by another CA too, and one signed by the configured CA gets its alert accepted.
set -euo pipefail
kactor=$1
source "$(dirname "$0")/../sim/world/e2e/lib.sh"
command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 0; }

pki() { # pki NAME CN [CA]: a key and certificate; self-signed CA when CA is empty
  local name=$1 cn=$2 ca=${3:-}
  if [ -z "$ca" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=$cn" \
      -keyout "$work/$name.key" -out "$work/$name.crt" 2>/dev/null
  else
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
      -keyout "$work/$name.key" -out "$work/$name.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\n' > "$work/$name.ext"
    openssl x509 -req -in "$work/$name.csr" -CA "$work/$ca.crt" -CAkey "$work/$ca.key" -CAcreateserial -days 1 \
      -extfile "$work/$name.ext" -out "$work/$name.crt" 2>/dev/null
  fi
}
pki ca "kactor test CA"
pki other "another CA"
pki server 127.0.0.1 ca
pki alertmanager alertmanager ca
pki intruder intruder other

port=$(free_port)
start_sim --alerts-addr "127.0.0.1:$port" --alerts-tls-cert "$work/server.crt" --alerts-tls-key "$work/server.key" \
  --alerts-tls-client-ca "$work/ca.crt"
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
post() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$work/ca.crt" -X POST -H 'Content-Type: application/json' \
           -d '[{"labels":{"alertname":"Probe"}}]' "$@" "https://127.0.0.1:$port/" || true; }
[ "$(post)" = 000 ] || fail "no client certificate: the handshake fails"
[ "$(post --cert "$work/intruder.crt" --key "$work/intruder.key")" = 000 ] || fail "another CA's certificate: refused"
[ "$(post --cert "$work/alertmanager.crt" --key "$work/alertmanager.key")" = 202 ] \
  || { cat "$work/server.log"; fail "the configured CA's certificate: accepted"; }
echo "alert receiver TLS e2e: ok"
