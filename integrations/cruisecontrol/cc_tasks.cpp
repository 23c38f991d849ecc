#include "integrations/cruisecontrol/cc_tasks.hpp"

namespace kactor::integrations::cruisecontrol {

const char* to_string(task_status s) {
  switch (s) {
  case task_status::active: return "Active";
  case task_status::in_execution: return "InExecution";
  case task_status::completed: return "Completed";
  case task_status::completed_with_error: return "CompletedWithError";
  case task_status::unknown: return "Unknown";
  }
  return "Unknown";
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = i + 2 < s.size() && s[i] == '%' ? hex_digit(s[i + 1]) : -1;
    int lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
    if (lo >= 0) {
      out += char(hi * 16 + lo);
      i += 2;
    } else
      out += s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

} // namespace

void split_request_url(std::string_view url, std::string& endpoint, std::map<std::string, std::string>& params) {
  endpoint.clear();
  params.clear();
  if (auto space = url.find(' '); space != std::string_view::npos)
    url.remove_prefix(space + 1); // the method
  auto q = url.find('?');
  std::string_view path = url.substr(0, q);
  if (auto slash = path.rfind('/'); slash != std::string_view::npos)
    endpoint = std::string{path.substr(slash + 1)};
  if (q == std::string_view::npos)
    return;
  std::string_view query = url.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      params[percent_decoded(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : percent_decoded(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
}

} // namespace kactor::integrations::cruisecontrol
