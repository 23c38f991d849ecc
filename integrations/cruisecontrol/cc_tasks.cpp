#include "integrations/cruisecontrol/cc_tasks.hpp"

#include "integrations/http/url_query.hpp"

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
  params = http::parse_query(url.substr(q + 1));
}

} // namespace kactor::integrations::cruisecontrol
