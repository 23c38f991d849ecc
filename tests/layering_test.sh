#!/usr/bin/env bash
# The house dependency rules (docs/style: rule 1), checked on every test run:
# model/ includes no CAF, Boost or spdlog and reads no clock; messages/ includes no Boost;
# Beast/Asio appear only in integrations/http/*.cpp; the production code includes nothing of the simulator (sim/).
set -uo pipefail
src=$1
cd "$src" || exit 1
status=0
violations() { [ -n "$2" ] && { echo "layering: $1:"; echo "$2"; status=1; }; }
violations "model/ must not include CAF, Boost or spdlog" \
  "$(grep -rnE '#include *[<"](caf|boost|spdlog)/' model 2>/dev/null)"
violations "model/ must not read a clock or random source" \
  "$(grep -rnE 'system_clock|steady_clock|high_resolution_clock|std::rand|random_device|time\(nullptr\)' model 2>/dev/null)"
[ -d messages ] && violations "messages/ must not include Boost" "$(grep -rnE '#include *[<"]boost/' messages)"
violations "Beast/Asio only in integrations/http/*.cpp" \
  "$(grep -rlE '#include *[<"]boost/(beast|asio)' --include='*.hpp' --include='*.cpp' . 2>/dev/null \
     | grep -vE '^\./(integrations/http/[^/]*\.cpp|tests/integrations/http/|build[^/]*/)' )"
violations "the production code (model, messages, actors, integrations, the operator runtime) must not include sim/" \
  "$(grep -rnE '#include *[<"]sim/' model messages actors integrations runtime/operator_runtime.* runtime/logging.* 2>/dev/null)"
# status::ok() is a static factory: `if (!st.ok())` compiles and is always false. Members are is_ok().
violations "call is_ok() on a status or result, not ok()" \
  "$(grep -rnE '[]A-Za-z0-9_)]\.ok\(\)' --include='*.hpp' --include='*.cpp' model messages actors runtime integrations sim tests 2>/dev/null)"
[ $status -eq 0 ] && echo "layering: ok"
exit $status
