// Fuzz target: any bytes as a kubectl-style input file through the whole CLI path — YAML/JSON loading,
// KafkaCluster parsing, validation, rendering and a round trip. Must never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/document.hpp"
#include "model/parse/kafka_cluster_io.hpp"
#include "model/render/desired_state.hpp"
#include "model/validate/kafka_cluster_validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kactor::model;
  auto docs = load_documents(std::string_view{reinterpret_cast<const char*>(data), size}, "fuzz");
  if (!docs)
    return 0;
  for (const auto& doc : *docs) {
    auto parsed = parse_kafka_cluster(doc);
    (void) to_json(parsed.cluster);
    if (!parsed.errors.empty() || !validate_kafka_cluster(parsed.cluster).empty())
      continue;
    if (auto state = render_cluster(parsed.cluster))
      (void) to_yaml_stream(state->all());
  }
  return 0;
}
