#include "sim/scenario/scenario_edit.hpp"

namespace kactor::runtime {

using nlohmann::json;

namespace {

/// Appends "key=value" lines to a readOnlyConfig text (spec-wide or one broker's).
void append_lines(json& holder, const std::string& lines) {
  auto cur = holder.value("readOnlyConfig", "");
  if (!cur.empty() && cur.back() != '\n')
    cur += '\n';
  holder["readOnlyConfig"] = cur + lines + "\n";
}

json* find_broker(json& spec, int32_t id) {
  if (!spec.contains("brokers") || !spec["brokers"].is_array())
    return nullptr;
  for (auto& b : spec["brokers"])
    if (b.is_object() && b.value("id", -1) == id)
      return &b;
  return nullptr;
}

std::string no_broker(int32_t id) { return "no broker " + std::to_string(id) + " in the spec"; }

std::string edit(const scenario_step& st, json& spec) {
  auto b = st.brokers.empty() ? -1 : st.brokers.front();
  switch (st.kind) {
  case step_kind::patch:
    spec.merge_patch(st.patch);
    return "";
  case step_kind::add_brokers: {
    if (!spec.contains("brokers") || !spec["brokers"].is_array() || spec["brokers"].empty())
      return "the spec has no broker to copy";
    auto group = spec["brokers"][0].is_object() ? spec["brokers"][0].value("brokerConfigGroup", "") : "";
    for (auto id : st.brokers) {
      if (find_broker(spec, id))
        return "broker " + std::to_string(id) + " already exists";
      json nb = {{"id", id}};
      if (!group.empty())
        nb["brokerConfigGroup"] = group;
      spec["brokers"].push_back(nb);
    }
    return "";
  }
  case step_kind::remove_broker: {
    if (!find_broker(spec, b))
      return no_broker(b);
    auto& list = spec["brokers"];
    for (size_t i = 0; i < list.size(); ++i)
      if (list[i].is_object() && list[i].value("id", -1) == b) {
        list.erase(i);
        break;
      }
    return "";
  }
  case step_kind::add_disk:
  case step_kind::remove_disk: {
    auto* broker = find_broker(spec, b);
    if (!broker)
      return no_broker(b);
    auto& disks = (*broker)["brokerConfig"]["storageConfigs"];
    if (!disks.is_array())
      disks = json::array();
    if (st.kind == step_kind::add_disk) {
      for (const auto& d : disks)
        if (d.is_object() && d.value("mountPath", "") == st.mount_path)
          return "broker " + std::to_string(b) + " already has a disk at " + st.mount_path;
      disks.push_back(
          {{"mountPath", st.mount_path},
           {"pvcSpec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", st.size}}}}}}}});
      return "";
    }
    for (size_t i = 0; i < disks.size(); ++i)
      if (disks[i].is_object() && disks[i].value("mountPath", "") == st.mount_path) {
        disks.erase(i);
        return "";
      }
    return "broker " + std::to_string(b) + " has no own disk " + st.mount_path;
  }
  case step_kind::read_only_config:
    append_lines(spec, st.config);
    return "";
  case step_kind::broker_config: {
    auto* broker = find_broker(spec, b);
    if (!broker)
      return no_broker(b);
    append_lines(*broker, st.config);
    return "";
  }
  case step_kind::alert:
  case step_kind::wait:
  case step_kind::wait_converged:
  case step_kind::fault:
    return "";
  }
  return "";
}

} // namespace

std::string apply_step_to_spec(const scenario_step& step, json& spec) {
  json edited = spec;
  auto why = edit(step, edited);
  if (why.empty())
    spec = std::move(edited);
  return why;
}

restart_scope restart_scope_of(const scenario_step& st) {
  switch (st.kind) {
  case step_kind::patch:
  case step_kind::read_only_config:
  case step_kind::alert:
    return {{}, true};
  case step_kind::remove_broker:
  case step_kind::add_disk:
  case step_kind::remove_disk:
  case step_kind::broker_config:
    return {std::set<int32_t>(st.brokers.begin(), st.brokers.begin() + std::min<size_t>(1, st.brokers.size())), false};
  case step_kind::add_brokers:
  case step_kind::wait:
  case step_kind::wait_converged:
  case step_kind::fault:
    return {};
  }
  return {};
}

} // namespace kactor::runtime
