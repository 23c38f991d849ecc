#include "model/edit/config.hpp"

#include "model/edit/brokers.hpp"

namespace kactor::model {

using nlohmann::json;

namespace {

/// Appends lines to `holder`'s readOnlyConfig; `path` names that field in errors.
status append_lines(json& holder, const std::string& path, const std::string& lines) {
  std::string cur;
  if (auto it = holder.find("readOnlyConfig"); it != holder.end() && !it->is_null()) {
    if (!it->is_string())
      return status::invalid(path + ": not text");
    cur = it->get<std::string>();
  }
  if (!cur.empty() && cur.back() != '\n')
    cur += '\n';
  holder["readOnlyConfig"] = cur + lines + "\n";
  return status::ok();
}

} // namespace

status append_read_only_config(json& spec, const std::string& lines) {
  if (!spec.is_object() && !spec.is_null())
    return status::invalid("spec: not an object");
  if (spec.is_null())
    spec = json::object();
  return append_lines(spec, "spec.readOnlyConfig", lines);
}

status append_broker_config(json& spec, int32_t id, const std::string& lines) {
  auto at = broker_index(spec, id);
  if (!at)
    return at.error();
  return append_lines(spec["brokers"][*at], "spec.brokers[" + std::to_string(*at) + "].readOnlyConfig", lines);
}

status set_env(json& spec, const std::string& name, const std::string& value) {
  if (name.empty())
    return status::invalid("spec.envs[].name: required");
  if (!spec.is_object() && !spec.is_null())
    return status::invalid("spec: not an object");
  if (spec.is_object() && spec.contains("envs") && !spec["envs"].is_array() && !spec["envs"].is_null())
    return status::invalid("spec.envs: not a list");
  json kept = json::array();
  if (spec.is_object() && spec.contains("envs") && spec["envs"].is_array())
    for (const auto& e : spec["envs"])
      if (!(e.is_object() && e.value("name", json("")) == name))
        kept.push_back(e);
  kept.push_back({{"name", name}, {"value", value}});
  spec["envs"] = std::move(kept);
  return status::ok();
}

status merge_patch(json& spec, const json& patch) {
  if (!patch.is_object())
    return status::invalid(std::string{"patch: a merge patch of the spec must be an object, got "} + patch.type_name());
  spec.merge_patch(patch);
  return status::ok();
}

} // namespace kactor::model
