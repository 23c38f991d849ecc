#!/usr/bin/env bash
# The kactor binary's contract: --help and version exit 0, usage errors and bad input exit 2 with a
# message on stderr and nothing on stdout; `-` reads stdin.
set -euo pipefail
kactor=$1
src=$2
samples="$src/../shared/fixtures/koperator-samples"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$kactor" --help >/dev/null || fail "--help"
"$kactor" version | grep -q '^kactor [0-9]' || fail "version"

set +e
"$kactor" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown subcommand must exit 2"
"$kactor" validate >/dev/null 2>&1; [ $? -eq 2 ] || fail "validate without -f must exit 2"
out=$(printf 'kind: [\n' | "$kactor" validate -f - 2>/tmp/kactor_exit_err.$$); rc=$?
[ $rc -eq 2 ] || fail "bad YAML on stdin must exit 2 (got $rc)"
[ -z "$out" ] || fail "nothing on stdout for bad input"
grep -qE 'line [0-9]+, column [0-9]+' /tmp/kactor_exit_err.$$ || fail "YAML error names the line"
rm -f /tmp/kactor_exit_err.$$
err=$("$kactor" sim --serve --log-format xml 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "bad --log-format must exit 2 (got $rc)"
grep -q -- '--log-format' <<<"$err" || fail "the error names --log-format"
"$kactor" sim --serve --log-level loud >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --log-level must exit 2"
# `kactor sim -f`: a bad scenario file is bad input and its error names the field; so is a missing file.
scn=/tmp/kactor_bad_scenario.$$.yaml
printf 'name: x\nsteps:\n  - adBrokers: [3]\n' > "$scn"
err=$("$kactor" sim -f "$scn" 2>&1 >/dev/null); rc=$?
rm -f "$scn"
[ $rc -eq 2 ] || fail "a bad scenario must exit 2 (got $rc)"
grep -q 'steps\[0\]: unknown key "adBrokers"' <<<"$err" || fail "the scenario error names the field: $err"
"$kactor" sim -f /nonexistent/scenario.yaml >/dev/null 2>&1; [ $? -eq 2 ] || fail "a missing scenario must exit 2"
"$kactor" sim --runs 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--runs 0 must exit 2"
# The alert receiver beyond loopback without authentication: refused before anything connects, naming the flags.
err=$("$kactor" run --kubeconfig /nonexistent --alerts-addr 0.0.0.0:19001 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "--alerts-addr 0.0.0.0 without a token must exit 2 (got $rc)"
grep -q -- '--alerts-bearer-token-file' <<<"$err" || fail "the error names --alerts-bearer-token-file: $err"
err=$("$kactor" run --kubeconfig /nonexistent --alerts-addr :19001 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "--alerts-addr :PORT (every interface) without a token must exit 2 (got $rc)"
err=$("$kactor" sim --serve --alerts-addr 0.0.0.0:19001 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "kactor sim --serve takes the same rule (got $rc): $err"
# Cruise Control credentials: files only, in pairs, never a password in clear over http beyond loopback.
ccpw=$(mktemp); echo 'hunter2-secret' > "$ccpw"
err=$("$kactor" run --kubeconfig /nonexistent --cruise-control-username admin 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q -- '--cruise-control-password-file' <<<"$err" || fail "a user without a password file exits 2 naming it (got $rc): $err"
err=$("$kactor" run --kubeconfig /nonexistent --cruise-control-password-file /nonexistent/pw 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q -- '--cruise-control-password-file: /nonexistent/pw: cannot open' <<<"$err" || fail "an unreadable password file exits 2 naming it (got $rc): $err"
err=$("$kactor" run --kubeconfig /nonexistent --cruise-control-cert-file "$ccpw" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q -- '--cruise-control-key-file' <<<"$err" || fail "a certificate without its key exits 2 (got $rc): $err"
err=$("$kactor" run --kubeconfig /nonexistent --cruise-control-username admin --cruise-control-password-file "$ccpw" \
        --cruise-control-endpoint http://cruise-control.kafka.svc:8090 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q 'basic authentication needs an https endpoint' <<<"$err" || fail "basic auth over http exits 2 (got $rc): $err"
! grep -q hunter2 <<<"$err" || fail "the password never appears: $err"
err=$("$kactor" run --kubeconfig /nonexistent --cruise-control-username admin --cruise-control-password-file "$ccpw" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && grep -q -- 'needs --cruise-control-endpoint' <<<"$err" || fail "a password without --cruise-control-endpoint exits 2 (got $rc): $err"
rm -f "$ccpw"
set -e

# Output is captured first: `cmd | grep -q` would let grep close the pipe early (SIGPIPE under pipefail).
out=$("$kactor" validate -f - < "$samples/simplekafkacluster.yaml")
grep -q 'valid' <<<"$out" || fail "validate from stdin"
out=$("$kactor" render -f "$samples/simplekafkacluster.yaml" --broker 1 -o json)
grep -q '"kafka-1"' <<<"$out" || fail "render json"
echo "exit codes: ok"
