#include "integrations/kafka/detail/rdkafka_admin_logic.hpp"

#include <charconv>

#include <librdkafka/rdkafka.h>

namespace kactor::integrations::kafka::detail {

admin_error::kind error_kind(int rd_kafka_error) {
  using k = admin_error::kind;
  switch (static_cast<rd_kafka_resp_err_t>(rd_kafka_error)) {
  case RD_KAFKA_RESP_ERR__TRANSPORT:
  case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
  case RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE:
  case RD_KAFKA_RESP_ERR__DESTROY:
    return k::unavailable;
  case RD_KAFKA_RESP_ERR__TIMED_OUT:
  case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
  case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    return k::timeout;
  case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
  case RD_KAFKA_RESP_ERR_INVALID_REQUEST:
  case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
    return k::invalid_config;
  case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
  case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
  case RD_KAFKA_RESP_ERR__UNKNOWN_BROKER:
    return k::not_found;
  default:
    return k::other;
  }
}

admin_error make_error(int rd_kafka_error, std::string message) {
  return admin_error{error_kind(rd_kafka_error), std::move(message)};
}

std::optional<int32_t> parse_broker_id(const std::string& name) {
  int32_t id = -1;
  const char* end = name.data() + name.size();
  auto [ptr, ec] = std::from_chars(name.data(), end, id);
  if (name.empty() || ec != std::errc{} || ptr != end || id < 0)
    return std::nullopt;
  return id;
}

config_source own_dynamic_source(const config_resource& resource) {
  if (resource.type == config_resource::kind::topic)
    return config_source::dynamic_topic;
  return resource.name.empty() ? config_source::dynamic_default_broker : config_source::dynamic_broker;
}

admin_result<std::map<std::string, std::string>> full_alter_set(const config_resource& resource,
                                                                const std::vector<config_entry>& described,
                                                                const std::vector<config_op>& ops) {
  const config_source own = own_dynamic_source(resource);
  std::map<std::string, std::optional<std::string>> set; // nullopt: kept but unreadable
  for (const auto& e : described)
    if (e.source == own)
      set[e.name] = e.value;
  for (const auto& op : ops) {
    if (op.name.empty())
      return admin_error{admin_error::kind::invalid_config, resource.to_string() + ": a config op has no name"};
    if (op.op == config_op::kind::set)
      set[op.name] = op.value;
    else
      set.erase(op.name);
  }
  std::map<std::string, std::string> out;
  for (auto& [name, value] : set) {
    if (!value)
      return admin_error{admin_error::kind::other,
                         "cannot alter " + resource.to_string() + ": its dynamic config " + name
                           + " is sensitive, so its value cannot be read back, and the full-set AlterConfigs "
                             "this client must use (librdkafka 2.0.2 has no incremental alter) would delete it; "
                             "set it in the same call or change it with kafka-configs.sh"};
    out.emplace(name, std::move(*value));
  }
  return out;
}

std::vector<config_entry> cluster_default_entries(const std::vector<described_entry>& broker_entries) {
  std::map<std::string, config_entry> found;
  for (const auto& d : broker_entries) {
    const config_entry* source = d.entry.source == config_source::dynamic_default_broker ? &d.entry : nullptr;
    for (size_t i = 0; !source && i < d.synonyms.size(); ++i)
      if (d.synonyms[i].source == config_source::dynamic_default_broker)
        source = &d.synonyms[i];
    if (!source)
      continue;
    // A synonym may carry another name (log.retention.hours behind log.retention.ms): report the name the
    // default is set under, as Kafka does when asked for the default resource itself.
    config_entry e{source->name, source->value, config_source::dynamic_default_broker, false,
                   d.entry.sensitive || source->sensitive};
    found.emplace(e.name, std::move(e));
  }
  std::vector<config_entry> out;
  for (auto& [name, e] : found)
    out.push_back(std::move(e));
  return out;
}

admin_result<int32_t> min_insync_replicas(const described_resource& topic) {
  for (const auto& d : topic.entries) {
    if (d.entry.name != "min.insync.replicas")
      continue;
    int32_t n = 0;
    const std::string v = d.entry.value.value_or("");
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc{} && ptr == v.data() + v.size() && n >= 1)
      return n;
    return admin_error{admin_error::kind::other,
                       topic.resource.to_string() + ": unreadable min.insync.replicas '" + v + "'"};
  }
  return admin_error{admin_error::kind::other, topic.resource.to_string() + ": no min.insync.replicas described"};
}

bool is_internal_topic(const std::string& name) {
  return name == "__consumer_offsets" || name == "__transaction_state";
}

} // namespace kactor::integrations::kafka::detail
