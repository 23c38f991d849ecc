#include "model/edit/disks.hpp"

#include <set>

#include "model/edit/brokers.hpp"

namespace kactor::model {

using nlohmann::json;

namespace {

std::string disks_path(size_t at) { return "spec.brokers[" + std::to_string(at) + "].brokerConfig.storageConfigs"; }

/// The own storageConfigs of the broker at `at`, or nullptr when it has none (or not a list).
const json* own_disks(const json& spec, size_t at) {
  const json& b = spec["brokers"][at];
  auto cfg = b.find("brokerConfig");
  if (cfg == b.end() || !cfg->is_object())
    return nullptr;
  auto list = cfg->find("storageConfigs");
  return list != cfg->end() && list->is_array() ? &*list : nullptr;
}

/// The own disk of the broker at `at` mounted at `mount_path`: its position, or -1.
int64_t own_disk_index(const json& spec, size_t at, const std::string& mount_path) {
  if (const json* list = own_disks(spec, at))
    for (size_t i = 0; i < list->size(); ++i)
      if ((*list)[i].is_object() && (*list)[i].value("mountPath", json("")) == mount_path)
        return static_cast<int64_t>(i);
  return -1;
}

/// The broker's own storageConfigs, made a list if it is not one. Precondition: the broker entry is an object.
json& own_disks_for_write(json& spec, size_t at) {
  auto& cfg = spec["brokers"][at]["brokerConfig"];
  if (!cfg.is_object())
    cfg = json::object();
  auto& list = cfg["storageConfigs"];
  if (!list.is_array())
    list = json::array();
  return list;
}

void mount_paths_of(const json& list, std::set<std::string>& out) {
  if (list.is_array())
    for (const auto& s : list)
      if (s.is_object() && s.contains("mountPath") && s["mountPath"].is_string())
        out.insert(s["mountPath"].get<std::string>());
}

} // namespace

json storage_config_of(const disk& d) {
  json pvc = {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", d.size}}}}}};
  if (!d.storage_class.empty())
    pvc["storageClassName"] = d.storage_class;
  return {{"mountPath", d.mount_path}, {"pvcSpec", pvc}};
}

status check_disk(const disk& d) {
  if (d.mount_path.empty())
    return status::invalid("storageConfigs[].mountPath: required");
  if (d.size.empty())
    return status::invalid("storageConfigs[].pvcSpec.resources.requests.storage: required");
  return status::ok();
}

result<std::string> free_mount_path(const json& spec, int32_t id, const std::string& prefix) {
  auto at = broker_index(spec, id);
  if (!at)
    return at.error();
  std::set<std::string> used;
  if (const json* own = own_disks(spec, *at))
    mount_paths_of(*own, used);
  const json& b = spec["brokers"][*at];
  auto g = b.find("brokerConfigGroup");
  std::string group = g != b.end() && g->is_string() ? g->get<std::string>() : "";
  auto groups = spec.find("brokerConfigGroups");
  if (!group.empty() && groups != spec.end() && groups->is_object() && groups->contains(group)
      && (*groups)[group].is_object() && (*groups)[group].contains("storageConfigs"))
    mount_paths_of((*groups)[group]["storageConfigs"], used);
  int n = 1;
  while (used.count(prefix + "-" + std::to_string(n)))
    ++n;
  return prefix + "-" + std::to_string(n);
}

status add_disk(json& spec, int32_t id, const disk& d) {
  auto at = broker_index(spec, id);
  if (!at)
    return at.error();
  if (auto st = check_disk(d); !st.is_ok())
    return st;
  if (own_disk_index(spec, *at, d.mount_path) >= 0)
    return status::invalid(disks_path(*at) + ": broker " + std::to_string(id) + " already has a disk at " + d.mount_path);
  own_disks_for_write(spec, *at).push_back(storage_config_of(d));
  return status::ok();
}

status remove_disk(json& spec, int32_t id, const std::string& mount_path) {
  auto at = broker_index(spec, id);
  if (!at)
    return at.error();
  auto i = own_disk_index(spec, *at, mount_path);
  if (i < 0)
    return status::not_found(disks_path(*at) + ": broker " + std::to_string(id) + " has no own disk at " + mount_path);
  own_disks_for_write(spec, *at).erase(static_cast<size_t>(i));
  return status::ok();
}

status resize_disk(json& spec, int32_t id, const disk& d) {
  auto at = broker_index(spec, id);
  if (!at)
    return at.error();
  if (auto st = check_disk(d); !st.is_ok())
    return st;
  auto i = own_disk_index(spec, *at, d.mount_path);
  if (i >= 0) {
    const json& entry = (*own_disks(spec, *at))[static_cast<size_t>(i)];
    if (entry.contains("pvcSpec") && !entry["pvcSpec"].is_object())
      return status::invalid(disks_path(*at) + "[" + std::to_string(i) + "].pvcSpec: not an object");
    if (entry.contains("emptyDir"))
      return status::invalid(disks_path(*at) + "[" + std::to_string(i) + "]: an emptyDir cannot be resized");
  }
  auto& list = own_disks_for_write(spec, *at);
  if (i < 0)
    list.push_back(storage_config_of(d));
  else
    list[static_cast<size_t>(i)]["pvcSpec"]["resources"]["requests"]["storage"] = d.size;
  return status::ok();
}

} // namespace kactor::model
