#include "sim/world/api_server/api_path.hpp"

#include <vector>

#include "integrations/http/url_query.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    auto part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!part.empty())
      out.push_back(part);
    if (slash == std::string::npos)
      break;
    start = slash + 1;
  }
  return out;
}

} // namespace

target parse_target(const std::string& raw) {
  target t;
  auto q = raw.find('?');
  t.path = raw.substr(0, q);
  if (q == std::string::npos)
    return t;
  t.query = http::parse_query(std::string_view{raw}.substr(q + 1));
  return t;
}

std::optional<resource_path> parse_resource_path(const std::string& path) {
  auto seg = split_path(path);
  resource_path out;
  size_t i = 0;
  if (seg.size() >= 2 && seg[0] == "api") {
    out.version = seg[1];
    i = 2;
  } else if (seg.size() >= 3 && seg[0] == "apis") {
    out.group = seg[1];
    out.version = seg[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  auto rest = std::vector<std::string>(seg.begin() + static_cast<long>(i), seg.end());
  if (rest.empty())
    return std::nullopt;
  // /namespaces/<ns>/<resource>... is namespaced; /namespaces/<name>[/status] is a Namespace itself.
  if (rest[0] == "namespaces" && rest.size() >= 3 && rest[2] != "status" && rest[2] != "finalize") {
    out.namespace_ = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.size() > 3)
    return std::nullopt;
  out.resource = rest[0];
  if (rest.size() >= 2)
    out.name = rest[1];
  if (rest.size() == 3)
    out.subresource = rest[2];
  return out;
}

bool query_bool(const query_map& q, const std::string& key) {
  auto it = q.find(key);
  if (it == q.end())
    return false;
  const auto& v = it->second;
  return v == "1" || v == "t" || v == "T" || v == "true" || v == "True" || v == "TRUE";
}

} // namespace kactor::sim
