// Fuzzes the decoders of Cruise Control's answers (outside input): state, kafka_cluster_state, load,
// user_tasks, operation results and error bodies. None may throw; each keeps its promises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "integrations/cruisecontrol/cc_responses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace cc = kactor::integrations::cruisecontrol;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto decoded_or_named = [](const auto& r) {
    if (!r.is_ok() && (r.error().what != cc::cc_error::kind::decode || r.error().message.empty()))
      __builtin_trap(); // a decoder fails only with decode, and says why
  };
  decoded_or_named(cc::parse_state(body));
  decoded_or_named(cc::parse_kafka_cluster_state(body));
  auto load = cc::parse_load(body);
  decoded_or_named(load);
  if (load.is_ok())
    for (const auto& b : load.value())
      if (!b.disk_state && !b.disks.empty())
        __builtin_trap(); // per-disk figures only from a DiskState that was sent
  decoded_or_named(cc::parse_user_tasks(body));
  // The status comes from the first byte, so 200, 202 and errors all see every body.
  static const int statuses[] = {200, 202, 400, 404, 429, 500, 502, 503, 302};
  int status = size > 0 ? statuses[data[0] % (sizeof statuses / sizeof statuses[0])] : 500;
  auto op = cc::parse_operation_result(status, body, "task");
  if (op.is_ok() && (op.value().still_computing() != (status == 202) || op.value().task_id != "task"))
    __builtin_trap();
  if (!op.is_ok() && op.error().message.empty())
    __builtin_trap();
  auto e = cc::parse_error(status, body);
  if (e.http_status != status || e.message.empty() || e.message.size() > 600)
    __builtin_trap(); // one readable line, never the whole body
  (void)e.to_string();
  return 0;
}
