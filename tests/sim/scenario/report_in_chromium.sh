#!/usr/bin/env bash
# Renders a `kactor sim` report.html in Debian's headless Chromium and checks that it rendered: the DOM after
# parsing holds the timeline <svg> and exactly EXPECTED_BROKER_LANES lanes of class "lane broker-lane", and a
# screenshot is written and not blank-sized. Exit 0 on success, 1 with a message on failure, 77 (skip) when
# /usr/bin/chromium is missing.
#
# Usage: report_in_chromium.sh REPORT_HTML EXPECTED_BROKER_LANES
set -euo pipefail

chromium=/usr/bin/chromium
min_png_bytes=20000 # measured: a blank 1280×2000 page 11.6 KB, the empty-run report 37 KB, a 3-broker run 79 KB

fail() { echo "FAIL: $*" >&2; exit 1; }

[ $# -eq 2 ] || { echo "usage: $0 REPORT_HTML EXPECTED_BROKER_LANES" >&2; exit 1; }
[ -x "$chromium" ] || { echo "SKIP: $chromium not installed" >&2; exit 77; }
[ -f "$1" ] || fail "no report at $1"
report=$(realpath "$1")
expected=$2

work=$(mktemp -d "${TMPDIR:-/tmp}/kactor_report_chromium.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --no-sandbox: containers and root; the rest keeps Chromium off this machine's closed network so it neither
# stalls nor logs connection errors. Each run gets its own profile: a shared one is locked by a live browser.
run_chromium() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    "$@" "file://$report" || { rc=$?; [ $rc -ne 124 ] || echo "chromium timed out after 60 s" >&2; return $rc; }
}

run_chromium --dump-dom >"$work/dom.html" 2>"$work/dom.log" \
  || { cat "$work/dom.log" >&2; fail "chromium --dump-dom failed on $report"; }
grep -q '<svg' "$work/dom.html" || fail "no <svg> in the rendered DOM of $report"
lanes=$({ grep -o 'class="lane broker-lane"' "$work/dom.html" || true; } | wc -l) # grep fails on 0 matches
[ "$lanes" -eq "$expected" ] || fail "$lanes broker lanes in the rendered DOM of $report, expected $expected"

run_chromium --screenshot="$work/shot.png" --window-size=1280,2000 --hide-scrollbars >"$work/shot.log" 2>&1 \
  || { cat "$work/shot.log" >&2; fail "chromium --screenshot failed on $report"; }
[ -f "$work/shot.png" ] || { cat "$work/shot.log" >&2; fail "chromium wrote no screenshot of $report"; }
size=$(stat -c %s "$work/shot.png")
[ "$(head -c 8 "$work/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
[ "$size" -gt "$min_png_bytes" ] || fail "the screenshot is only $size bytes: the page rendered blank?"
[ -z "${KACTOR_KEEP_SCREENSHOT:-}" ] || cp "$work/shot.png" "$KACTOR_KEEP_SCREENSHOT"

echo "ok: $report rendered, $lanes broker lanes, screenshot $size bytes"
