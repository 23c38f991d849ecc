// Fuzzes kubeconfig parsing (outside input: a file the user points kactor at, or $KUBECONFIG): YAML of any
// shape must give a config or an error naming the field, never an exception. Relative file references
// resolve under a folder that does not exist, so nothing outside the input is read by accident.
#include <cstddef>
#include <cstdint>
#include <string>

#include "integrations/kubernetes/client_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace k = kactor::integrations::kubernetes;
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* context : {"", "other"}) {
    auto config = k::parse_kubeconfig(text, "/nonexistent-kactor-fuzz", context, "kubeconfig fuzz");
    if (!config.is_ok() && config.error().message().empty())
      __builtin_trap(); // every refusal says why
  }
  return 0;
}
