#include "integrations/kafka/kafka_admin.hpp"

namespace kactor::integrations::kafka {

std::string admin_error::to_string() const {
  const char* k = "error";
  switch (what) {
  case kind::unavailable: k = "unavailable"; break;
  case kind::timeout: k = "timeout"; break;
  case kind::invalid_config: k = "invalid config"; break;
  case kind::not_found: k = "not found"; break;
  case kind::other: k = "error"; break;
  }
  return std::string{k} + ": " + message;
}

std::string config_resource::to_string() const {
  if (type == kind::topic)
    return "topic " + name;
  return name.empty() ? "cluster default" : "broker " + name;
}

const char* to_string(config_source s) {
  switch (s) {
  case config_source::dynamic_topic: return "DYNAMIC_TOPIC_CONFIG";
  case config_source::dynamic_broker: return "DYNAMIC_BROKER_CONFIG";
  case config_source::dynamic_default_broker: return "DYNAMIC_DEFAULT_BROKER_CONFIG";
  case config_source::static_broker: return "STATIC_BROKER_CONFIG";
  case config_source::default_config: return "DEFAULT_CONFIG";
  case config_source::unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

const config_entry* config_description::find(const std::string& n) const {
  for (const auto& e : entries)
    if (e.name == n)
      return &e;
  return nullptr;
}

} // namespace kactor::integrations::kafka
