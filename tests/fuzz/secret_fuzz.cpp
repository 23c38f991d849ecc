// Fuzzes the reading of a Secret with Cruise Control credentials (outside input: anyone who may edit the
// Secret writes it): secret_data then credentials_from_secret must never throw, an error names the Secret
// and the key, and no error message ever holds a value of the Secret.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "integrations/kubernetes/api.hpp"
#include "model/cruisecontrol/cc_credentials.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto object = nlohmann::json::parse(body, nullptr, false);
  if (object.is_discarded())
    return 0;
  auto decoded = kactor::integrations::kubernetes::secret_data(object);
  if (!decoded.is_ok()) {
    if (decoded.error().message().rfind("Secret", 0) != 0)
      __builtin_trap(); // "Secret <name>: ..."
    return 0;
  }
  // Every message credentials_from_secret may give: fixed words and key names, so never a value (which would
  // reach logs and Events).
  static const std::set<std::string> messages = [] {
    std::set<std::string> m{"Secret s: holds none of ca.crt, tls.crt + tls.key, username + password (or they are empty)"};
    for (const char* key : {"ca.crt", "tls.crt", "tls.key"})
      m.insert(std::string{"Secret s: key "} + key + ": not PEM (no \"-----BEGIN\" line)");
    for (const char* key : {"tls.crt", "tls.key"})
      m.insert(std::string{"Secret s: key "} + key + ": missing: a client certificate needs both tls.crt and tls.key");
    for (const char* key : {"username", "password"})
      m.insert(std::string{"Secret s: key "} + key + ": missing: basic authentication needs both username and password");
    m.insert("Secret s: key endpoint: missing: the Cruise Control URL the password is for (it is sent nowhere else)");
    return m;
  }();
  auto creds = kactor::model::credentials_from_secret("s", decoded.value());
  if (!creds.is_ok() && !messages.count(creds.error().message()))
    __builtin_trap();
  return 0;
}
