#include "integrations/http/address.hpp"

namespace kactor::integrations::http {

bool is_loopback(const std::string& address) {
  return address == "localhost" || address == "::1" || address == "[::1]" || address.rfind("127.", 0) == 0;
}

} // namespace kactor::integrations::http
