#!/bin/bash
# The checker can fail: with the test-only flaw roll-two-at-once the operator rolls two brokers at once
# ignoring min.insync.replicas; `kactor sim` must exit 1 and name the min-isr violation on screen and in
# report.json. Its older flag --unsafe-roll-for-tests still works; an unknown flaw is a usage error (exit 2).
# The other flaws, one per invariant, are proven in-process by flaws_test.cpp.
set -u
kactor=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$kactor" sim -f "$src/tests/sim/scenario/data/roll.yaml" --flaw-for-tests roll-two-at-once --report "$dir" >"$dir/out.txt" 2>&1
code=$?
cat "$dir/out.txt"
[ $code -eq 1 ] || { echo "FAIL: exit code $code, expected 1"; exit 1; }
grep -q "VIOLATION.*min-isr" "$dir/out.txt" || { echo "FAIL: no min-isr violation printed"; exit 1; }
grep -q '"min-isr"' "$dir/report.json" || { echo "FAIL: report.json does not name min-isr"; exit 1; }
grep -q 'below min.insync.replicas' "$dir/report.html" || { echo "FAIL: report.html does not show the violation"; exit 1; }
"$kactor" sim -f "$src/tests/sim/scenario/data/roll.yaml" --unsafe-roll-for-tests >"$dir/alias.txt" 2>&1
[ $? -eq 1 ] && grep -q "VIOLATION.*min-isr" "$dir/alias.txt" || { cat "$dir/alias.txt"; echo "FAIL: --unsafe-roll-for-tests"; exit 1; }
"$kactor" sim -f "$src/tests/sim/scenario/data/roll.yaml" --flaw-for-tests no-such-flaw >"$dir/bad.txt" 2>&1
[ $? -eq 2 ] && grep -q "unknown flaw" "$dir/bad.txt" || { cat "$dir/bad.txt"; echo "FAIL: an unknown flaw is not exit 2"; exit 1; }
# And without the flaw the same scenario passes.
"$kactor" sim -f "$src/tests/sim/scenario/data/roll.yaml" >"$dir/safe.txt" 2>&1 || { cat "$dir/safe.txt"; echo "FAIL: the safe roll failed"; exit 1; }
echo "ok: the unsafe operator was caught; the safe one passed"
