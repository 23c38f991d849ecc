// Fuzz target: what a client controls in a request to the simulated API server — the target (path and
// query), selectors, protobuf bodies, and patch bodies of every type applied to an object.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/world/api_server/api_path.hpp"
#include "sim/world/api_server/patch.hpp"
#include "sim/world/api_server/protobuf.hpp"
#include "sim/world/api_server/selectors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kactor::sim;
  std::string input{reinterpret_cast<const char*>(data), size};
  (void) decode_kubernetes_protobuf(input);
  (void) decode_kubernetes_protobuf(std::string{"k8s\0", 4} + input);
  auto t = parse_target(input);
  (void) parse_resource_path(t.path);
  nlohmann::json object = {{"metadata", {{"name", "n"}, {"labels", {{"app", "kafka"}}}}},
                           {"spec", {{"containers", {{{"name", "kafka"}}}}}}};
  if (auto s = parse_label_selector(input))
    (void) matches_labels(*s, object);
  if (auto s = parse_field_selector(input))
    (void) matches_fields(*s, object);
  auto body = nlohmann::json::parse(input, nullptr, false);
  if (!body.is_discarded())
    for (auto type : {patch_type::merge, patch_type::json_patch, patch_type::strategic})
      (void) apply_patch(type, object, body);
  return 0;
}
