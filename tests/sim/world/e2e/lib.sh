# Shared by the e2e scripts: a temporary work folder, a failure helper, and `start_sim ARGS...`, which
# (re)starts `kactor sim --serve ARGS` on a free port and waits for the kubeconfig it writes. The server is
# stopped and the folder removed on exit. Expects $kactor to be set before sourcing.
work=$(mktemp -d)
server_pid=""
stop_sim() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_sim
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start_sim() {
  stop_sim
  rm -f "$work/kubeconfig"
  "$kactor" sim --serve --port 0 --kubeconfig-out "$work/kubeconfig" "$@" > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done
  [ -s "$work/kubeconfig" ] || { cat "$work/server.log"; fail "server did not start"; }
}

# After start_sim: kubectl on the simulated server (`k ARGS`), and `wait_for WANT ARGS...`, which polls
# `k ARGS` until its output equals WANT (60 s), then fails showing the server's log.
use_kubectl() {
  export HOME=$work KUBECONFIG=$work/kubeconfig
  sim_url=$(grep -o 'server: http[^ ]*' "$work/kubeconfig" | cut -d' ' -f2)
}
k() { kubectl --cache-dir "$work/cache" --request-timeout=20s "$@"; }
wait_for() {
  local want=$1; shift
  local got=""
  for _ in $(seq 300); do
    got=$(k "$@" 2>/dev/null || true)
    [ "$got" = "$want" ] && return 0
    sleep 0.2
  done
  cat "$work/server.log" >&2
  fail "waited for '$want' from 'kubectl $*', last got '$got'"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
