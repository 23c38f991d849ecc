#!/bin/bash
# A real run's report.html opens in Debian's headless Chromium with one SVG lane per broker (5 in
# grow-and-roll: 3 brokers grown to 5). Skips (77) when Chromium is not installed.
set -u
kactor=$1
src=$2
[ -x /usr/bin/chromium ] || { echo "skip: /usr/bin/chromium not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$kactor" sim -f "$src/examples/scenarios/grow-and-roll.yaml" --report "$dir" >"$dir/out.txt" 2>&1
code=$?
# The page is written whatever the verdict (a failed run's report matters most); only bad input or a crash fails.
[ $code -le 1 ] && [ -f "$dir/report.html" ] || { cat "$dir/out.txt"; echo "FAIL: exit code $code, no report"; exit 1; }
exec "$src/tests/sim/scenario/report_in_chromium.sh" "$dir/report.html" 5
