// Fuzz target: any bytes as a `kactor sim -f` scenario file — YAML loading, every field, the embedded
// KafkaCluster's parsing and validation, the cross-checks, and the seeded fault schedule of what parsed.
// Must never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kactor::sim;
  auto s = parse_scenario(std::string_view{reinterpret_cast<const char*>(data), size});
  if (!s)
    return 0;
  (void) fault_schedule(*s, s->seed);
  (void) fault_schedule(*s, s->seed + 1);
  return 0;
}
