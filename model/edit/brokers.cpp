#include "model/edit/brokers.hpp"

#include <algorithm>
#include <optional>

namespace kactor::model {

using nlohmann::json;

namespace {

const json* brokers_of(const json& spec) {
  if (!spec.is_object())
    return nullptr;
  auto it = spec.find("brokers");
  return it != spec.end() && it->is_array() ? &*it : nullptr;
}

std::optional<int64_t> id_of(const json& entry) {
  if (!entry.is_object())
    return std::nullopt;
  auto it = entry.find("id");
  if (it == entry.end() || !it->is_number_integer())
    return std::nullopt;
  return it->get<int64_t>();
}

/// Why spec.brokers cannot take broker `id`, or ok.
status can_add(const json& spec, int32_t id) {
  if (id < 0)
    return status::invalid("spec.brokers: broker id " + std::to_string(id) + " is negative");
  if (spec.is_object() && spec.contains("brokers") && !spec["brokers"].is_array() && !spec["brokers"].is_null())
    return status::invalid("spec.brokers: not a list");
  if (auto at = broker_index(spec, id))
    return status::invalid("spec.brokers[" + std::to_string(*at) + "].id: a broker with id " + std::to_string(id)
                           + " already exists");
  return status::ok();
}

json entry_of(const new_broker& b) {
  json entry = {{"id", b.id}};
  if (!b.config_group.empty())
    entry["brokerConfigGroup"] = b.config_group;
  if (!b.image.empty())
    entry["brokerConfig"]["image"] = b.image;
  for (const auto& d : b.disks)
    entry["brokerConfig"]["storageConfigs"].push_back(storage_config_of(d));
  return entry;
}

} // namespace

result<size_t> broker_index(const json& spec, int32_t id) {
  if (const json* list = brokers_of(spec))
    for (size_t i = 0; i < list->size(); ++i)
      if (id_of((*list)[i]) == int64_t{id})
        return i;
  return status::not_found("spec.brokers: no broker with id " + std::to_string(id));
}

size_t broker_count(const json& spec) {
  const json* list = brokers_of(spec);
  return list ? list->size() : 0;
}

int32_t next_broker_id(const json& spec) {
  int64_t next = 0;
  if (const json* list = brokers_of(spec))
    for (const auto& b : *list)
      next = std::max(next, id_of(b).value_or(-1) + 1);
  return static_cast<int32_t>(next);
}

std::string first_broker_group(const json& spec) {
  const json* list = brokers_of(spec);
  if (!list || list->empty() || !(*list)[0].is_object())
    return "";
  auto it = (*list)[0].find("brokerConfigGroup");
  return it != (*list)[0].end() && it->is_string() ? it->get<std::string>() : "";
}

status add_broker(json& spec, const new_broker& b) {
  if (!spec.is_object() && !spec.is_null())
    return status::invalid("spec: not an object");
  if (auto st = can_add(spec, b.id); !st.is_ok())
    return st;
  for (const auto& d : b.disks)
    if (auto st = check_disk(d); !st.is_ok())
      return st;
  spec["brokers"].push_back(entry_of(b));
  return status::ok();
}

status add_brokers(json& spec, const std::vector<int32_t>& ids) {
  if (broker_count(spec) == 0)
    return status::invalid("spec.brokers: no broker to copy the config group from");
  auto group = first_broker_group(spec);
  json edited = spec; // all or nothing: a taken id late in `ids` leaves the earlier ones out too
  for (auto id : ids)
    if (auto st = add_broker(edited, {id, group, "", {}}); !st.is_ok())
      return st;
  spec = std::move(edited);
  return status::ok();
}

status remove_broker(json& spec, int32_t id) {
  auto at = broker_index(spec, id);
  if (!at)
    return at.error();
  spec["brokers"].erase(*at);
  return status::ok();
}

} // namespace kactor::model
