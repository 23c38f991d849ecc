// The operation record's own readings (model::cc_operation in graceful_plan.hpp): its kind's name and the
// brokers and log directories its parameters name.
#include "model/diff/graceful_plan.hpp"

#include <algorithm>

namespace kactor::model {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(sep, start);
    if (end == std::string::npos)
      end = s.size();
    if (end > start)
      out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<int32_t> to_id(const std::string& s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoi(s);
}

} // namespace

const char* to_string(cc_operation_kind k) {
  switch (k) {
  case cc_operation_kind::add_broker: return "add_broker";
  case cc_operation_kind::remove_broker: return "remove_broker";
  case cc_operation_kind::remove_disks: return "remove_disks";
  case cc_operation_kind::rebalance: return "rebalance";
  }
  return "rebalance";
}

std::optional<cc_operation_kind> parse_cc_operation_kind(const std::string& s) {
  for (auto k : {cc_operation_kind::add_broker, cc_operation_kind::remove_broker, cc_operation_kind::remove_disks,
                 cc_operation_kind::rebalance})
    if (s == to_string(k))
      return k;
  return std::nullopt;
}

bool cc_operation::failed() const { return state == "CompletedWithError" || state == "Unknown"; }

bool cc_operation::finished_for_good() const { return state == "Completed" || (failed() && error_policy == "ignore"); }

std::vector<int32_t> cc_operation::brokers() const {
  std::vector<int32_t> out;
  for (const char* key : {"brokerid", "destination_broker_ids"})
    if (auto it = parameters.find(key); it != parameters.end())
      for (const auto& part : split(it->second, ','))
        if (auto id = to_id(part))
          out.push_back(*id);
  for (const auto& [id, dirs] : log_dirs())
    out.push_back(id);
  return out;
}

std::map<int32_t, std::vector<std::string>> cc_operation::log_dirs() const {
  std::map<int32_t, std::vector<std::string>> out;
  auto it = parameters.find("brokerid_and_logdirs");
  if (it == parameters.end())
    return out;
  for (const auto& part : split(it->second, ',')) {
    auto dash = part.find('-');
    if (dash == std::string::npos)
      continue;
    if (auto id = to_id(part.substr(0, dash)))
      out[*id].push_back(part.substr(dash + 1));
  }
  return out;
}

} // namespace kactor::model
