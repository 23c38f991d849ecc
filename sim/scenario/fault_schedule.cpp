// Fault kinds by name, and the seeded fault schedule of a scenario (declared in scenario.hpp).
#include <algorithm>
#include <iterator>
#include <limits>
#include <random>
#include <set>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_reader.hpp"

namespace kactor::sim {

namespace {

struct kind_info {
  fault_kind kind;
  const char* name;
  bool broker;   ///< hits one broker
  bool duration; ///< lasts `duration`
};

// In enum order, so that a kind indexes its own entry.
constexpr kind_info kinds[] = {
  {fault_kind::pod_kill, "podKill", true, false},
  {fault_kind::container_kill, "containerKill", true, false},
  {fault_kind::node_down, "nodeDown", true, true},
  {fault_kind::disk_failure, "diskFailure", true, true},
  {fault_kind::api_errors, "apiErrors", false, true},
  {fault_kind::watch_drop, "watchDrop", false, false},
  {fault_kind::cc_down, "ccDown", false, true},
  {fault_kind::cc_restart, "ccRestart", false, false},
  {fault_kind::cc_task_failure, "ccTaskFailure", false, false},
  {fault_kind::operator_crash, "operatorCrash", false, true},
  {fault_kind::operator_cut_off, "operatorCutOff", false, true},
};

constexpr bool in_enum_order() {
  for (size_t i = 0; i < std::size(kinds); ++i)
    if (static_cast<size_t>(kinds[i].kind) != i)
      return false;
  return true;
}
static_assert(in_enum_order(), "kinds[] must list every fault_kind in enum order");

const kind_info& info(fault_kind k) { return kinds[static_cast<size_t>(k)]; }

/// Uniform in [0, n) for n >= 1 by rejection: the draws the standard fixes (mt19937_64's output) and
/// integer arithmetic only, so a seed gives the same schedule on every platform and library.
uint64_t draw_below(std::mt19937_64& gen, uint64_t n) {
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  const uint64_t rem = (max % n + 1) % n; // 2^64 mod n: draws in the last `rem` values would be biased
  uint64_t x = gen();
  while (rem != 0 && x > max - rem)
    x = gen();
  return x % n;
}

/// Uniform in [lo, hi] (hi < lo is taken as lo).
sim_ms draw_between(std::mt19937_64& gen, sim_ms lo, sim_ms hi) {
  if (hi <= lo)
    return lo;
  return lo + sim_ms{static_cast<int64_t>(draw_below(gen, static_cast<uint64_t>((hi - lo).count()) + 1))};
}

/// Initial brokers plus every broker an addBrokers step adds, ascending.
std::vector<int32_t> known_brokers(const scenario& s) {
  auto initial = detail::initial_brokers(s);
  std::set<int32_t> ids(initial.begin(), initial.end());
  for (const auto& st : s.steps)
    if (st.kind == step_kind::add_brokers)
      ids.insert(st.brokers.begin(), st.brokers.end());
  return {ids.begin(), ids.end()};
}

} // namespace

const char* to_string(fault_kind k) { return info(k).name; }

std::optional<fault_kind> fault_kind_from_string(std::string_view s) {
  for (const auto& k : kinds)
    if (s == k.name)
      return k.kind;
  return std::nullopt;
}

std::vector<fault_spec> fault_schedule(const scenario& s, uint64_t seed) {
  std::vector<fault_spec> out = s.faults;
  if (s.random && !s.random->kinds.empty()) {
    const auto& r = *s.random;
    const auto brokers = known_brokers(s);
    std::mt19937_64 gen{seed};
    // Per fault, always in this order: kind, time, broker (broker kinds), duration (lasting kinds).
    for (int32_t i = 0; i < r.count; ++i) {
      fault_spec f;
      f.kind = r.kinds[draw_below(gen, r.kinds.size())];
      f.at = draw_between(gen, r.from, r.to);
      if (info(f.kind).broker && !brokers.empty())
        f.broker = brokers[draw_below(gen, brokers.size())];
      if (info(f.kind).duration)
        f.duration = draw_between(gen, r.min_duration, r.max_duration);
      if (f.kind == fault_kind::api_errors)
        f.rate = 0.3;
      out.push_back(f);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const fault_spec& a, const fault_spec& b) { return a.at < b.at; });
  return out;
}

namespace detail {

bool targets_broker(fault_kind k) { return info(k).broker; }

bool has_duration(fault_kind k) { return info(k).duration; }

std::string fault_kind_names() {
  std::string out;
  for (const auto& k : kinds)
    out += (out.empty() ? "" : ", ") + std::string{k.name};
  return out;
}

std::string describe(const fault_spec& f) {
  std::string out = to_string(f.kind);
  if (!f.node.empty())
    out += " of " + f.node;
  else if (f.broker >= 0)
    out += " on broker " + std::to_string(f.broker);
  if (f.kind == fault_kind::api_errors)
    out += " (" + std::to_string(static_cast<int>(f.rate * 100 + 0.5)) + "%)";
  if (f.kind == fault_kind::cc_task_failure && f.count > 1)
    out += " x" + std::to_string(f.count);
  if (has_duration(f.kind))
    out += " for " + format_duration(f.duration);
  return out;
}

std::vector<int32_t> broker_ids(const json& brokers) {
  std::set<int32_t> ids;
  for (size_t i = 0; brokers.is_array() && i < brokers.size(); ++i) {
    const json& b = brokers[i];
    if (b.is_object() && b.contains("id") && b["id"].is_number_integer() && b["id"].get<int64_t>() >= 0
        && b["id"].get<int64_t>() <= std::numeric_limits<int32_t>::max())
      ids.insert(b["id"].get<int32_t>());
  }
  return {ids.begin(), ids.end()};
}

std::vector<int32_t> initial_brokers(const scenario& s) {
  if (s.cluster.is_null())
    return {0, 1, 2}; // the deploy/ sample the runner uses
  const json& c = s.cluster;
  if (!c.is_object() || !c.contains("spec") || !c["spec"].is_object() || !c["spec"].contains("brokers"))
    return {};
  return broker_ids(c["spec"]["brokers"]);
}

} // namespace detail

} // namespace kactor::sim
