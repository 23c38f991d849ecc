// Fuzzes the decoder of watch-stream lines the Kubernetes API server sends (outside input).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "integrations/kubernetes/watch_event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  auto ev = kactor::integrations::kubernetes::decode_watch_event(line);
  if (ev.is_ok() && ev.value().type != kactor::integrations::kubernetes::watch_event_type::error &&
      ev.value().resource_version.empty())
    __builtin_trap(); // the decoder promises a resourceVersion on every non-error event
  return 0;
}
