#include "model/broker_backup.hpp"
#include "model/json_read.hpp"

#include <set>

#include "model/parse/kafka_cluster_io.hpp"

namespace kactor::model {

namespace {

std::string path_of(int32_t id) { return "status.brokersState." + std::to_string(id) + ".configurationBackup"; }

/// The backup's broker entry and group, or an error message.
std::string read_backup(const std::string& text, int32_t id, json& entry, json& group) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return "not a kactor backup (a JSON object); Koperator's compressed form is not read";
  if (!doc.contains("broker") || !doc["broker"].is_object())
    return "\"broker\": required object is missing";
  entry = doc["broker"];
  if (!entry.contains("id") || !entry["id"].is_number_integer() || entry["id"].get<int64_t>() != id)
    return "\"broker.id\": not " + std::to_string(id);
  if (doc.contains("brokerConfigGroup")) {
    if (!doc["brokerConfigGroup"].is_object())
      return "\"brokerConfigGroup\": not an object";
    group = doc["brokerConfigGroup"];
  }
  return "";
}

} // namespace

std::map<int32_t, std::string> broker_backups(const kafka_cluster& c) {
  std::map<int32_t, std::string> out;
  auto doc = to_json(c);
  const auto& spec = doc["spec"];
  for (const auto& entry : spec.value("brokers", json::array())) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_number_integer())
      continue;
    json backup = {{"broker", entry}};
    auto group = entry.value("brokerConfigGroup", std::string{});
    if (!group.empty() && spec.contains("brokerConfigGroups") && spec["brokerConfigGroups"].contains(group))
      backup["brokerConfigGroup"] = spec["brokerConfigGroups"][group];
    out[entry["id"].get<int32_t>()] = backup.dump();
  }
  return out;
}

kafka_cluster with_restored_brokers(const kafka_cluster& c, const std::map<int32_t, std::string>& backups,
                                    field_errors& errors) {
  std::set<int32_t> in_spec;
  for (const auto& b : c.spec.brokers)
    in_spec.insert(b.id);
  auto doc = to_json(c);
  bool changed = false;
  for (const auto& [id, text] : backups) {
    if (in_spec.count(id))
      continue;
    json entry, group;
    if (auto error = read_backup(text, id, entry, group); !error.empty()) {
      errors.push_back({path_of(id), error});
      continue;
    }
    // Tried alone first, so that one bad backup names itself and does not hold the others back.
    json trial = doc;
    trial["spec"]["brokers"].push_back(entry);
    auto name = string_or(entry, "brokerConfigGroup"); // the backup is an annotation anyone can edit
    if (!name.empty() && !group.is_null() && !trial["spec"].value("brokerConfigGroups", json::object()).contains(name))
      trial["spec"]["brokerConfigGroups"][name] = group;
    auto parsed = parse_kafka_cluster(trial);
    if (!parsed.errors.empty()) {
      errors.push_back({path_of(id), parsed.errors.front().to_string()});
      continue;
    }
    doc = std::move(trial);
    changed = true;
  }
  if (!changed)
    return c;
  return parse_kafka_cluster(doc).cluster;
}

} // namespace kactor::model
