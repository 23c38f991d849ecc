// Fuzz target: Kubernetes resource quantities.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/quantity.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void) kactor::model::parse_quantity(std::string_view{reinterpret_cast<const char*>(data), size});
  return 0;
}
