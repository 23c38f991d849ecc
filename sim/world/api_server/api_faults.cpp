#include "sim/world/api_server/api_faults.hpp"

#include <fnmatch.h>

namespace kactor::sim {

std::string request_verb(const std::string& method, bool has_name, bool watch) {
  if (method == "GET")
    return has_name ? "get" : watch ? "watch" : "list";
  if (method == "POST")
    return "create";
  if (method == "PUT")
    return "update";
  if (method == "PATCH")
    return "patch";
  if (method == "DELETE")
    return has_name ? "delete" : "deletecollection";
  return method;
}

std::string api_faults::set_from_json(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("rules") || !body["rules"].is_array())
    return "expected {\"rules\": [...]}";
  std::vector<api_fault_rule> rules;
  for (size_t i = 0; i < body["rules"].size(); ++i) {
    const auto& r = body["rules"][i];
    auto at = "rules[" + std::to_string(i) + "]";
    if (!r.is_object())
      return at + ": expected an object";
    api_fault_rule rule;
    try {
      rule.verb = r.value("verb", "");
      rule.resource = r.value("resource", "");
      rule.name_glob = r.value("name", "");
      rule.user_agent = r.value("userAgent", "");
      rule.rate = r.value("rate", 1.0);
      rule.code = r.value("code", 0);
      rule.latency_ms = r.value("latencyMs", 0);
      rule.hang = r.value("hang", false);
    } catch (const nlohmann::json::exception& e) {
      return at + ": " + e.what();
    }
    if (rule.rate < 0 || rule.rate > 1)
      return at + ".rate: must be between 0 and 1";
    if (rule.code != 0 && (rule.code < 400 || rule.code > 599))
      return at + ".code: must be an HTTP error status (400-599)";
    if (rule.latency_ms < 0 || rule.latency_ms > 600000)
      return at + ".latencyMs: must be between 0 and 600000";
    rules.push_back(std::move(rule));
  }
  set(std::move(rules));
  return {};
}

void api_faults::set(std::vector<api_fault_rule> rules) {
  std::lock_guard guard{mutex_};
  rules_ = std::move(rules);
}

fault_decision api_faults::decide(const std::string& verb, const std::string& resource, const std::string& name,
                                  const std::string& user_agent) {
  std::lock_guard guard{mutex_};
  std::uniform_real_distribution<double> coin{0.0, 1.0};
  for (const auto& r : rules_) {
    if (!r.verb.empty() && r.verb != verb)
      continue;
    if (!r.resource.empty() && r.resource != resource)
      continue;
    if (!r.name_glob.empty() && fnmatch(r.name_glob.c_str(), name.c_str(), 0) != 0)
      continue;
    if (!r.user_agent.empty() && r.user_agent != user_agent)
      continue;
    if (coin(rng_) >= r.rate)
      continue;
    return {r.code, r.latency_ms, r.hang};
  }
  return {};
}

} // namespace kactor::sim
