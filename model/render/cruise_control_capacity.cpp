#include "model/render/cruise_control_capacity.hpp"

#include <algorithm>
#include <cmath>

#include "model/effective_broker.hpp"
#include "model/json_read.hpp"
#include "model/quantity.hpp"

namespace kactor::model {

namespace {

std::optional<quantity> cc_quantity_at(const json& j, const json::json_pointer& path) {
  const json* v = find(j, path);
  if (!v || (!v->is_string() && !v->is_number()))
    return std::nullopt;
  auto q = parse_quantity(v->is_string() ? v->get<std::string>() : v->dump());
  return q ? std::optional<quantity>{*q} : std::nullopt;
}

int64_t cc_disk_mib(const storage_config& s) {
  std::optional<quantity> size;
  if (s.pvc_spec)
    size = cc_quantity_at(*s.pvc_spec, json::json_pointer{"/resources/requests/storage"});
  else if (s.empty_dir)
    size = cc_quantity_at(*s.empty_dir, json::json_pointer{"/sizeLimit"});
  if (!size)
    return cruise_control_unsized_disk_mib;
  // A disk below 1 MiB would read as full to Cruise Control's goals; Koperator refuses it outright.
  return std::max<int64_t>(1, static_cast<int64_t>(std::floor(size->value / 1048576.0L)));
}

std::string cc_cores(const broker_config& config) {
  const json& r = config.resource_requirements.value_or(json::object());
  auto cpu = cc_quantity_at(r, json::json_pointer{"/limits/cpu"});
  if (!cpu)
    cpu = cc_quantity_at(r, json::json_pointer{"/requests/cpu"});
  auto cores = cpu ? static_cast<int64_t>(std::ceil(cpu->value)) : 1;
  return std::to_string(std::max<int64_t>(1, cores));
}

std::string cc_network(const broker_config& config, const char* key) {
  auto value = config.network_config ? find_string(*config.network_config, key) : std::nullopt;
  return value && !value->empty() ? *value : cruise_control_default_network_kb;
}

json cc_broker_capacity(const effective_broker& b) {
  json disk = json::object();
  for (const auto& s : b.config.storage_configs)
    disk[s.mount_path + "/kafka"] = std::to_string(cc_disk_mib(s));
  return {{"DISK", disk},
          {"CPU", {{"num.cores", cc_cores(b.config)}}},
          {"NW_IN", cc_network(b.config, "incomingNetworkThroughPut")},
          {"NW_OUT", cc_network(b.config, "outgoingNetworkThroughPut")}};
}

json cc_generated_capacity(const kafka_cluster& c) {
  json entries = json::array();
  std::optional<std::pair<int32_t, json>> lowest;
  for (const auto& spec_broker : c.spec.brokers) {
    auto b = make_effective_broker(c, spec_broker.id);
    if (!b)
      continue; // refused by validation; nothing sensible to say about its disks
    json capacity = cc_broker_capacity(*b);
    // A KRaft controller-only node is no broker to Cruise Control, and its disks say nothing of the brokers'.
    if (b->is_broker() && (!lowest || b->id < lowest->first))
      lowest.emplace(b->id, capacity);
    entries.push_back({{"brokerId", std::to_string(b->id)},
                       {"capacity", std::move(capacity)},
                       {"doc", "Broker " + std::to_string(b->id) + " as its spec sizes it. DISK in MiB per log dir."}});
  }
  json fallback = {{"DISK", {{"/kafka-logs/kafka", std::to_string(cruise_control_unsized_disk_mib)}}},
                   {"CPU", {{"num.cores", "1"}}},
                   {"NW_IN", cruise_control_default_network_kb},
                   {"NW_OUT", cruise_control_default_network_kb}};
  json default_entry = {{"brokerId", "-1"},
                        {"capacity", lowest ? lowest->second : fallback},
                        {"doc", "The default capacity, for a running broker the spec no longer lists: the lowest "
                                "broker id's."}};
  entries.insert(entries.begin(), std::move(default_entry));
  return {{"brokerCapacities", entries}};
}

} // namespace

json render_cruise_control_capacity(const kafka_cluster& c) {
  const auto& own = c.spec.cruise_control.capacity_config;
  if (own && !own->empty()) {
    json parsed = json::parse(*own, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_discarded())
      return parsed;
  }
  return cc_generated_capacity(c);
}

} // namespace kactor::model
