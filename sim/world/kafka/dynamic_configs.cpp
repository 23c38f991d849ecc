#include "sim/world/kafka/dynamic_configs.hpp"

#include <charconv>
#include <map>

// A representative subset of Kafka's dynamic broker configs, not all of them: the thread pools, log
// defaults, connection quotas, throttles, listeners and per-listener SSL/SASL settings users change in
// practice. A key missing here is refused as a real broker refuses a non-dynamic key.

namespace kactor::sim {

namespace {

enum class value_type { int_, long_, boolean, text, list };

struct rule {
  value_type type;
  bool per_broker_only = false; ///< Kafka's PerBrokerConfigs: never a cluster-wide default
};

const std::map<std::string, rule>& broker_rules() {
  static const std::map<std::string, rule> rules = {
      {"background.threads", {value_type::int_}},
      {"num.io.threads", {value_type::int_}},
      {"num.network.threads", {value_type::int_}},
      {"num.replica.fetchers", {value_type::int_}},
      {"num.recovery.threads.per.data.dir", {value_type::int_}},
      {"log.cleaner.threads", {value_type::int_}},
      {"log.cleaner.dedupe.buffer.size", {value_type::long_}},
      {"log.cleaner.io.max.bytes.per.second", {value_type::long_}},
      {"log.retention.ms", {value_type::long_}},
      {"log.retention.bytes", {value_type::long_}},
      {"log.segment.bytes", {value_type::int_}},
      {"log.roll.ms", {value_type::long_}},
      {"log.flush.interval.messages", {value_type::long_}},
      {"log.flush.interval.ms", {value_type::long_}},
      {"log.index.size.max.bytes", {value_type::int_}},
      {"log.cleanup.policy", {value_type::list}},
      {"log.message.timestamp.type", {value_type::text}},
      {"compression.type", {value_type::text}},
      {"min.insync.replicas", {value_type::int_}},
      {"unclean.leader.election.enable", {value_type::boolean}},
      {"message.max.bytes", {value_type::int_}},
      {"max.connections", {value_type::int_}},
      {"max.connections.per.ip", {value_type::int_}},
      {"max.connections.per.ip.overrides", {value_type::text}},
      {"max.connection.creation.rate", {value_type::int_}},
      {"follower.replication.throttled.rate", {value_type::long_}},
      {"leader.replication.throttled.rate", {value_type::long_}},
      {"replica.alter.log.dirs.io.max.bytes.per.second", {value_type::long_}},
      {"metric.reporters", {value_type::list}},
      {"listeners", {value_type::list, true}},
      {"advertised.listeners", {value_type::list, true}},
      {"listener.security.protocol.map", {value_type::list, true}},
      {"ssl.client.auth", {value_type::text}},
      {"ssl.keystore.location", {value_type::text, true}},
      {"ssl.keystore.password", {value_type::text, true}},
      {"ssl.key.password", {value_type::text, true}},
      {"ssl.truststore.location", {value_type::text, true}},
      {"ssl.truststore.password", {value_type::text, true}},
      {"ssl.enabled.protocols", {value_type::list}},
      {"ssl.cipher.suites", {value_type::list}},
      {"sasl.enabled.mechanisms", {value_type::list}},
      {"sasl.jaas.config", {value_type::text, true}},
  };
  return rules;
}

const std::map<std::string, value_type>& topic_rules() {
  static const std::map<std::string, value_type> rules = {
      {"retention.ms", value_type::long_},        {"retention.bytes", value_type::long_},
      {"segment.bytes", value_type::int_},        {"segment.ms", value_type::long_},
      {"cleanup.policy", value_type::list},       {"compression.type", value_type::text},
      {"min.insync.replicas", value_type::int_},  {"max.message.bytes", value_type::int_},
      {"unclean.leader.election.enable", value_type::boolean},
      {"message.timestamp.type", value_type::text},
  };
  return rules;
}

const char* type_name(value_type t) {
  switch (t) {
  case value_type::int_: return "INT";
  case value_type::long_: return "LONG";
  case value_type::boolean: return "BOOLEAN";
  default: return "STRING";
  }
}

std::optional<std::string> check_value(const std::string& key, const std::string& value, value_type t) {
  auto invalid = [&](const std::string& why) {
    return "Invalid value " + value + " for configuration " + key + ": " + why;
  };
  if (t == value_type::int_ || t == value_type::long_) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || end != value.data() + value.size() || value.empty())
      return invalid(std::string{"Not a number of type "} + type_name(t));
    if (t == value_type::int_ && (n > INT32_MAX || n < INT32_MIN))
      return invalid("Not a number of type INT");
    if (key == "min.insync.replicas" && n < 1)
      return invalid("Value must be at least 1");
  }
  if (t == value_type::boolean && value != "true" && value != "false")
    return invalid("Expected value to be either true or false");
  return std::nullopt;
}

// Per-listener overrides (listener.name.<listener>.ssl.keystore.location, ...) follow the base key.
std::string base_key(const std::string& key) {
  if (key.rfind("listener.name.", 0) == 0)
    if (auto dot = key.find('.', 14); dot != std::string::npos)
      return key.substr(dot + 1);
  return key;
}

} // namespace

bool is_dynamic_broker_config(const std::string& key) {
  return broker_rules().count(base_key(key)) > 0;
}

std::optional<std::string> refuse_broker_config(const std::string& key, const std::string& value, bool per_broker) {
  auto it = broker_rules().find(base_key(key));
  if (it == broker_rules().end())
    return "Cannot update these configs dynamically: Set(" + key + ")";
  if (it->second.per_broker_only && !per_broker)
    return "Cannot update these configs at default cluster level, broker id must be specified: Set(" + key + ")";
  return check_value(key, value, it->second.type);
}

std::optional<std::string> refuse_topic_config(const std::string& key, const std::string& value) {
  auto it = topic_rules().find(key);
  if (it == topic_rules().end())
    return "Unknown topic config name: " + key;
  return check_value(key, value, it->second);
}

} // namespace kactor::sim
