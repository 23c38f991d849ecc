#include "model/diff/roll_plan.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "model/effective_broker.hpp"
#include "model/render/server_properties.hpp"

// Decisions the header leaves open:
// - Gate 1 counts a permit holder as in transition even while its old pod still runs: it may be deleted
//   at any moment. Brokers granted earlier in the same decision count the same way.
// - For gate 3 the ISR is reduced by every permit holder too, for the same reason.
// - Reasons name the first gate that fails, in gate order, so the message is stable while nothing changes.

namespace kactor::model {

namespace {

bool contains(const std::vector<int32_t>& v, int32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string ids_text(const std::vector<int32_t>& ids) {
  std::string out;
  for (auto id : ids)
    out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

struct gate_context {
  const roll_inputs& in;
  std::map<int32_t, const roll_broker*> by_id;
  std::set<int32_t> lagging;
  std::vector<int32_t> granted;
  std::vector<int32_t> order;

  bool in_transition(const roll_broker& b) const {
    return b.restarting || b.holds_permit || lagging.contains(b.id) || contains(granted, b.id);
  }
};

// Gate 1: nobody else is on the way down or back.
std::string transition_gate(const gate_context& g, const roll_broker& cand) {
  bool parallel = g.in.concurrent_per_rack > 1 && !cand.rack.empty();
  std::vector<int32_t> same_rack;
  for (const auto& b : g.in.brokers) {
    if (b.id == cand.id || b.removed || !g.in_transition(b))
      continue;
    if (parallel && b.rack == cand.rack) {
      same_rack.push_back(b.id);
      continue;
    }
    if (g.lagging.contains(b.id) && !b.restarting && !b.holds_permit)
      return "broker " + std::to_string(b.id) + " to rejoin the ISRs of its partitions";
    return "broker " + std::to_string(b.id) + " to finish restarting";
  }
  if (int32_t(same_rack.size()) >= g.in.concurrent_per_rack)
    return "brokers " + ids_text(same_rack) + " restarting in rack " + cand.rack + " (at most "
           + std::to_string(g.in.concurrent_per_rack) + " at once)";
  return {};
}

// Gate 2: Koperator's failureThreshold.
std::string failure_gate(const gate_context& g, const roll_broker& cand) {
  std::vector<int32_t> unready;
  for (const auto& b : g.in.brokers)
    if (b.id != cand.id && !b.removed && !b.ready && !g.in_transition(b))
      unready.push_back(b.id);
  if (int64_t(unready.size()) + g.in.alert_count < g.in.failure_threshold)
    return {};
  std::string why;
  if (!unready.empty())
    why = "brokers not Ready: " + ids_text(unready);
  if (g.in.alert_count > 0)
    why += (why.empty() ? "" : "; ") + std::to_string(g.in.alert_count) + " rolling-upgrade alerts firing";
  return why + " (failureThreshold " + std::to_string(g.in.failure_threshold) + ")";
}

// Gate 3: Strimzi's min.insync.replicas rule.
std::string min_isr_gate(const gate_context& g, const roll_broker& cand) {
  std::set<int32_t> away{cand.id};
  away.insert(g.granted.begin(), g.granted.end());
  for (const auto& b : g.in.brokers)
    if (b.holds_permit)
      away.insert(b.id);
  for (const auto& p : *g.in.partitions) {
    if (!contains(p.isr, cand.id) || p.min_isr >= int32_t(p.replicas.size()))
      continue;
    auto left = std::count_if(p.isr.begin(), p.isr.end(), [&](int32_t r) { return !away.contains(r); });
    if (left < p.min_isr)
      return p.topic + "-" + std::to_string(p.partition) + " would fall below min.insync.replicas (isr "
             + std::to_string(p.isr.size()) + ", min " + std::to_string(p.min_isr) + ")";
  }
  return {};
}

// Gate 4: the KRaft controllers keep a majority.
std::string quorum_gate(const gate_context& g, const roll_broker& cand) {
  if (!g.in.kraft || !cand.controller)
    return {};
  int total = 0, up = 0;
  for (const auto& b : g.in.brokers) {
    if (!b.controller || b.removed)
      continue;
    ++total;
    if (b.id != cand.id && b.ready && !g.in_transition(b))
      ++up;
  }
  if (up >= total / 2 + 1)
    return {};
  return "the KRaft quorum would lose its majority (" + std::to_string(up) + " of " + std::to_string(total)
         + " controllers up without broker " + std::to_string(cand.id) + ")";
}

// Gate 5: the active controller goes last.
std::string controller_gate(const gate_context& g, const roll_broker& cand) {
  if (cand.id != g.in.active_controller)
    return {};
  for (auto id : g.order)
    if (id != cand.id && !contains(g.granted, id))
      return "broker " + std::to_string(cand.id) + " is the active controller and restarts last";
  return {};
}

std::string gate(const gate_context& g, const roll_broker& cand) {
  if (auto why = transition_gate(g, cand); !why.empty() || !cand.ready)
    return why;
  if (g.in.stopped)
    return "the roll is stopped";
  if (!g.in.partitions)
    return g.in.kafka_error.empty() ? "waiting for Kafka's partition states" : "Kafka could not be described: " + g.in.kafka_error;
  for (auto* f : {failure_gate, min_isr_gate, quorum_gate, controller_gate})
    if (auto why = f(g, cand); !why.empty())
      return why;
  return {};
}

} // namespace

std::map<int32_t, roll_placement> roll_placements(const kafka_cluster& c) {
  std::map<int32_t, roll_placement> out;
  for (const auto& spec_broker : c.spec.brokers) {
    auto b = make_effective_broker(c, spec_broker.id);
    if (!b.is_ok())
      continue;
    auto props = render_server_properties(c, b.value());
    auto rack = props.find("broker.rack");
    out[spec_broker.id] = {rack == props.end() ? "" : rack->second, c.spec.k_raft && b.value().is_controller()};
  }
  return out;
}

std::vector<int32_t> catching_up(const std::vector<roll_partition>& partitions) {
  std::set<int32_t> out;
  for (const auto& p : partitions)
    if (p.leader >= 0)
      for (auto r : p.replicas)
        if (!contains(p.isr, r))
          out.insert(r);
  return {out.begin(), out.end()};
}

roll_decision plan_roll(const roll_inputs& in) {
  gate_context g{in, {}, {}, {}, {}};
  for (const auto& b : in.brokers)
    g.by_id[b.id] = &b;
  if (in.partitions)
    for (auto id : catching_up(*in.partitions))
      g.lagging.insert(id);
  std::vector<const roll_broker*> candidates;
  for (const auto& b : in.brokers)
    if (b.wants_restart && !b.holds_permit && !b.removed)
      candidates.push_back(&b);
  auto rank = [&](const roll_broker* b) {
    return std::make_tuple(b->ready, b->id == in.active_controller, in.kraft && !b->controller, b->id);
  };
  std::sort(candidates.begin(), candidates.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
  roll_decision out;
  for (auto* c : candidates)
    g.order.push_back(c->id);
  out.order = g.order;
  if (in.unsafe_two_at_once) {
    auto held = std::count_if(in.brokers.begin(), in.brokers.end(), [](const auto& b) { return b.holds_permit; });
    for (auto* c : candidates)
      if (held < 2) {
        out.grant.push_back(c->id);
        ++held;
      } else
        out.waiting[c->id] = "two brokers restarting (unsafe test mode)";
    return out;
  }
  for (auto* c : candidates) {
    auto why = gate(g, *c);
    if (why.empty()) {
      g.granted.push_back(c->id);
      out.grant.push_back(c->id);
    } else
      out.waiting[c->id] = std::move(why);
  }
  return out;
}

} // namespace kactor::model
