#!/usr/bin/env bash
# The house dependency rules (docs/style: rules 1 and 8), checked on every test run. The folder arrows:
#   model     → nothing of the project (and no CAF, Boost or spdlog, no clock)
#   messages  → model only (no Boost)
#   actors    → messages, model, and integrations' port headers only
#   integrations → model only (never actors, runtime or the simulator)
#   production (model, messages, actors, integrations, runtime) ↛ sim/, except the command line and the
#   embedded simulated-cluster component that wire the simulator in; and no production library links it
# Beast/Asio appear only in integrations/http/*.cpp and in the server's own session header. Usage: layering_test.sh SOURCE_DIR
set -uo pipefail
src=$1
cd "$src" || exit 1
status=0
violations() { [ -n "$2" ] && { echo "layering: $1:"; echo "$2"; status=1; }; }
includes() { # includes of the project's folders $2 from the files under $1
  grep -rnE "#include *\"($2)/" "$1" --include='*.hpp' --include='*.cpp' --include='*.in' 2>/dev/null
}
violations "model/ must not include CAF, Boost or spdlog" \
  "$(grep -rnE '#include *[<"](caf|boost|spdlog)/' model 2>/dev/null)"
violations "model/ must not read a clock or random source" \
  "$(grep -rnE 'system_clock|steady_clock|high_resolution_clock|std::rand|random_device|time\(nullptr\)' model 2>/dev/null)"
violations "model/ must not include messages, actors, integrations, runtime or sim" \
  "$(includes model 'messages|actors|integrations|runtime|sim')"
violations "messages/ must include model/ only" "$(includes messages 'actors|integrations|runtime|sim')"
violations "messages/ must not include Boost" "$(grep -rnE '#include *[<"]boost/' messages 2>/dev/null)"
# The ports actors may see: the Kubernetes port, the Cruise Control port, the Kafka admin port.
ports='integrations/(kubernetes/api|cruisecontrol/api|kafka/kafka_admin)\.hpp"'
violations "actors/ must reach integrations/ only through port headers" \
  "$(includes actors 'integrations' | grep -vE "$ports")"
violations "actors/ must not include runtime or sim" "$(includes actors 'runtime|sim')"
violations "integrations/ must not include actors, runtime or sim" "$(includes integrations 'actors|runtime|sim')"
violations "production code must not include the simulator (only runtime/cli and runtime/embed/sim_* wire it in)" \
  "$(for d in model messages actors integrations runtime; do includes "$d" 'sim'; done | grep -vE '^runtime/(cli/|embed/sim_)')"
violations "production libraries must not link the simulator" \
  "$(grep -nE 'kactor_(sim|scenario)' model/CMakeLists.txt actors/CMakeLists.txt integrations/CMakeLists.txt \
       integrations/*/CMakeLists.txt 2>/dev/null; \
     grep -nE 'add_library\(kactor_operator|target_link_libraries\(kactor_operator' runtime/CMakeLists.txt | grep -E 'kactor_(sim|scenario)')"
violations "Beast/Asio only in integrations/http/*.cpp (and the server's session header)" \
  "$(grep -rlE '#include *[<"]boost/(beast|asio)' --include='*.hpp' --include='*.cpp' . 2>/dev/null \
     | grep -vE '^\./(integrations/http/[^/]*\.cpp|integrations/http/detail/server_session\.hpp|tests/integrations/http/|build[^/]*/)' )"
violations "integrations/http/detail/server_session.hpp is the server's alone" \
  "$(grep -rn 'detail/server_session\.hpp' --include='*.hpp' --include='*.cpp' . 2>/dev/null \
     | grep -vE '^\./(integrations/http/server\.cpp|build[^/]*/)')"
# status::ok() is a static factory: `if (!st.ok())` compiles and is always false. Members are is_ok().
violations "call is_ok() on a status or result, not ok()" \
  "$(grep -rnE '[]A-Za-z0-9_)]\.ok\(\)' --include='*.hpp' --include='*.cpp' model messages actors runtime integrations sim tests 2>/dev/null)"
[ $status -eq 0 ] && echo "layering: ok"
exit $status
