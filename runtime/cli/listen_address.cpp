#include "runtime/cli/listen_address.hpp"

namespace kactor::runtime {

namespace http = integrations::http;

/// ":8080" → 0.0.0.0:8080; "127.0.0.1:0" → loopback, any free port.
model::result<http::server_options> listen_address(const std::string& flag, const std::string& addr) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos)
    return model::status::invalid(flag + ": expected [host]:port, got \"" + addr + "\"");
  http::server_options o;
  o.address = colon == 0 ? "0.0.0.0" : addr.substr(0, colon);
  auto port = addr.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535)
    return model::status::invalid(flag + ": bad port \"" + port + "\"");
  o.port = uint16_t(std::stoi(port));
  o.threads = 1;
  return o;
}

} // namespace kactor::runtime
