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
  for _ in $(seq 100); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done
  [ -s "$work/kubeconfig" ] || { cat "$work/server.log"; fail "server did not start"; }
}
