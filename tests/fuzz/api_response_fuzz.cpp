// Fuzzes the decoders of Kubernetes API responses (outside input): objects, lists and error Status
// bodies with their Retry-After header.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "integrations/kubernetes/api_error.hpp"
#include "integrations/kubernetes/watch_event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace k = kactor::integrations::kubernetes;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)k::decode_object(body);
  auto list = k::decode_list(body);
  if (list.is_ok() && !list.value()["items"].is_array())
    __builtin_trap(); // a decoded list always has an items array
  int code = size > 0 ? 400 + data[0] % 200 : 500;
  auto header = body.substr(0, std::min<size_t>(size, 8));
  auto e = k::error_from_response(code, body, header);
  if (e.code != code || e.retry_after.count() < 0)
    __builtin_trap();
  (void)e.to_string();
  return 0;
}
