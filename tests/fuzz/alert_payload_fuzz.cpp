// Fuzzes the parser of alert payloads POSTed to kactor's receiver (outside input: Alertmanager, Prometheus,
// anything that reaches the port).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "integrations/alertmanager/alert_payload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto alerts = kactor::integrations::alertmanager::parse_alerts(body, "2026-03-01T10:00:00Z");
  if (alerts.is_ok())
    for (const auto& a : alerts.value())
      if (a.fingerprint.empty() || a.labels.empty())
        __builtin_trap(); // every accepted alert has labels and a fingerprint
  return 0;
}
