// Fuzz target: Java properties text (readOnlyConfig, clusterWideConfig); parse, render, parse again
// must give the same map.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kactor::model;
  auto parsed = parse_properties(std::string_view{reinterpret_cast<const char*>(data), size});
  if (!parsed)
    return 0;
  auto again = parse_properties(render_properties(*parsed));
  if (!again || *again != *parsed)
    std::abort(); // render_properties must be the inverse of parse_properties
  return 0;
}
