// Fuzzes the reader of CruiseControlOperation objects (outside input: read from the API server, editable by
// anyone with access to the CR): parse_cc_operation must never throw, and a failure names the field.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/cruisecontrol/cc_operation_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto object = kactor::model::json::parse(body, nullptr, false);
  if (object.is_discarded())
    return 0;
  auto op = kactor::model::parse_cc_operation(object);
  if (!op.is_ok() && op.error().message().find(": ") == std::string::npos)
    __builtin_trap(); // "<field>: <why>"
  if (op.is_ok() && op.value().error_policy.empty())
    __builtin_trap(); // defaulted to retry
  return 0;
}
