#include "model/render/pod_disruption_budget.hpp"

#include <algorithm>
#include <regex>

#include "model/effective_broker.hpp"
#include "model/render/metadata.hpp"

namespace kactor::model {

std::optional<int> pdb_min_available(const std::string& budget, int brokers) {
  static const std::regex pattern{R"(^([0-9]+)$|^([0-9]{1,2})%$|^(100)%$)"};
  std::smatch m;
  if (budget.size() > 12 || !std::regex_match(budget, m, pattern))
    return std::nullopt;
  int allowed = 0;
  if (m[1].matched)
    allowed = std::stoi(m[1].str());
  else
    allowed = std::stoi(m[2].matched ? m[2].str() : m[3].str()) * brokers / 100;
  return std::max(1, brokers - allowed);
}

std::optional<json> render_pod_disruption_budget(const kafka_cluster& c) {
  if (!c.spec.disruption || !c.spec.disruption->create)
    return std::nullopt;
  int brokers = 0;
  for (const auto& b : c.spec.brokers) {
    auto eb = make_effective_broker(c, b.id);
    if (eb && eb->is_broker())
      ++brokers;
  }
  auto min_available = pdb_min_available(c.spec.disruption->budget, brokers);
  if (!min_available)
    return std::nullopt;
  string_map selector = cluster_labels(c);
  if (c.spec.k_raft)
    selector["isBrokerNode"] = "true";
  return json{{"apiVersion", "policy/v1"},
              {"kind", "PodDisruptionBudget"},
              {"metadata", object_metadata(c, pdb_name(c), cluster_labels(c))},
              {"spec", {{"minAvailable", *min_available}, {"selector", {{"matchLabels", selector}}}}}};
}

} // namespace kactor::model
