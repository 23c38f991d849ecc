#include "integrations/http/detail/message_rules.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace kactor::integrations::http::detail {

void add_header(header_map& headers, std::string name, std::string value) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  auto [it, fresh] = headers.try_emplace(std::move(name), value);
  if (!fresh) // a repeated field is one comma-separated list (RFC 9110 5.3)
    it->second += ", " + value;
}

unsigned to_status(int status) {
  return status >= 200 && status <= 599 ? status : 500;
}

} // namespace kactor::integrations::http::detail
