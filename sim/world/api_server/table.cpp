#include "sim/world/api_server/table.hpp"

#include <ctime>

#include "model/time.hpp"

namespace kactor::sim {

namespace {

json column(const std::string& name, const std::string& type, const std::string& format = "") {
  return {{"name", name}, {"type", type}, {"format", format}, {"description", ""}, {"priority", 0}};
}

// Evaluates the dotted JSONPath subset CRDs use in printer columns (".status.state").
json lookup(const json& object, const std::string& path) {
  const json* cur = &object;
  size_t start = path.empty() || path[0] != '.' ? 0 : 1;
  while (cur && start < path.size()) {
    auto dot = path.find('.', start);
    auto part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    cur = cur->is_object() && cur->contains(part) ? &(*cur)[part] : nullptr;
    if (dot == std::string::npos)
      break;
    start = dot + 1;
  }
  if (!cur || cur->is_null())
    return "";
  return cur->is_string() ? *cur : json(cur->dump());
}

} // namespace

bool wants_table(const std::string& accept) {
  return accept.find("as=Table") != std::string::npos;
}

std::string human_age(const std::string& rfc3339, std::chrono::system_clock::time_point now) {
  auto created = model::rfc3339_seconds(rfc3339);
  if (created < 0)
    return "<unknown>";
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() - created;
  if (secs < 0)
    secs = 0;
  if (secs < 120)
    return std::to_string(secs) + "s";
  if (secs < 7200)
    return std::to_string(secs / 60) + "m";
  if (secs < 172800)
    return std::to_string(secs / 3600) + "h";
  return std::to_string(secs / 86400) + "d";
}

json to_table(const resource_type& type, const std::vector<json>& objects, const std::string& resource_version,
              std::chrono::system_clock::time_point now, bool with_columns) {
  json table = {{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", {{"resourceVersion", resource_version}}}};
  if (with_columns) {
    json cols = json::array({column("Name", "string", "name")});
    for (const auto& [name, path] : type.columns)
      cols.push_back(column(name, "string"));
    cols.push_back(column("Age", "string"));
    table["columnDefinitions"] = cols;
  }
  json rows = json::array();
  for (const auto& o : objects) {
    const auto& meta = o.value("metadata", json::object());
    json cells = json::array({meta.value("name", "")});
    for (const auto& [name, path] : type.columns)
      cells.push_back(lookup(o, path));
    cells.push_back(human_age(meta.value("creationTimestamp", ""), now));
    rows.push_back({{"cells", cells}, {"object", o}});
  }
  table["rows"] = rows;
  return table;
}

} // namespace kactor::sim
