#include "sim/scenario/invariants.hpp"

#include <algorithm>

namespace kactor::sim {

namespace {

std::string ids_text(const std::vector<int32_t>& ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i)
    s += (i ? "," : "") + std::to_string(ids[i]);
  return s + "]";
}

bool contains(const std::vector<int32_t>& v, int32_t id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

} // namespace

void invariant_checker::fault_hit(int32_t broker, bool lasting, int64_t at_ms) {
  hit_.insert(broker);
  hit_at_[broker] = at_ms;
  landing_.insert(broker);
  last_fault_at_ = std::max(last_fault_at_, at_ms);
  if (lasting)
    ++lasting_[broker];
}

void invariant_checker::operator_deleting(int32_t broker, int64_t at_ms) {
  deleting_at_[broker] = at_ms;
  if (last_fault_at_ >= 0 && at_ms >= last_fault_at_ && at_ms < last_fault_at_ + reaction_ms_ && !hit_.count(broker)) {
    hit_.insert(broker);
    hit_at_[broker] = last_fault_at_;
    landing_.insert(broker);
  }
}

void invariant_checker::fault_over(int32_t broker) {
  if (auto it = lasting_.find(broker); it != lasting_.end() && --it->second <= 0)
    lasting_.erase(it);
}

void invariant_checker::on_state(const sim::sim_cluster_view& v, int64_t at_ms,
                                 std::vector<run_record::violation>& out) {
  ++states_;
  std::set<std::string> now_open;
  auto report = [&](const std::string& key, const std::string& invariant, const std::string& detail, int32_t broker) {
    now_open.insert(key);
    if (!open_.count(key))
      out.push_back({invariant, detail, broker, at_ms});
  };

  // Who is out of an ISR (a broker back up but still catching up stays "out"; so does one that cannot
  // rejoin a partition left without a leader by another fault).
  std::set<int32_t> out_of_isr;
  std::set<std::pair<std::string, int32_t>> moving;
  for (const auto& p : v.placements)
    if (p.moving)
      moving.insert({p.topic, p.partition});
  for (const auto& t : v.topics)
    for (const auto& p : t.partitions)
      if (!moving.count({t.name, p.partition}))
        for (auto r : p.replicas)
          if (!contains(p.isr, r))
            out_of_isr.insert(r);

  std::set<int32_t> up;
  for (const auto& [id, b] : v.brokers)
    if (b.up)
      up.insert(id);
  // A fault's effect is over once its broker is up and caught up again — after it took effect: a killed
  // container is still up in the states right after the kill. One that never shows within the reaction
  // allowance did nothing (the pod was gone already).
  for (auto it = landing_.begin(); it != landing_.end();)
    if (!up.count(*it) || out_of_isr.count(*it) || at_ms >= hit_at_[*it] + reaction_ms_)
      it = landing_.erase(it);
    else
      ++it;
  for (auto it = hit_.begin(); it != hit_.end();)
    if (!lasting_.count(*it) && !landing_.count(*it) && up.count(*it) && !out_of_isr.count(*it))
      it = hit_.erase(it);
    else
      ++it;

  // Per partition, the replicas out (not up and in the ISR) in the order they went out. The one whose
  // going out crossed min.insync.replicas decides: the operator's doing unless a fault had hit it.
  std::map<std::string, int64_t> out_since;
  for (const auto& t : v.topics)
    for (const auto& p : t.partitions) {
      auto name = t.name + "-" + std::to_string(p.partition);
      bool is_moving = moving.count({t.name, p.partition}) > 0;
      std::vector<std::pair<int64_t, int32_t>> gone; // (went out at state, broker)
      int32_t rf = 0;
      for (auto r : p.replicas) {
        bool in = contains(p.isr, r) && up.count(r);
        auto key = name + "/" + std::to_string(r);
        if (!in && is_moving && up.count(r) && !contains(p.isr, r)) {
          // A move's new replica, copying: not yet part of the partition's redundancy. One that was out
          // before the move (a restarted broker catching up while its disks rebalance) keeps its time.
          if (auto was = out_since_.find(key); was != out_since_.end())
            out_since[key] = was->second;
          continue;
        }
        ++rf;
        if (in)
          continue;
        auto since = out_since_.count(key) ? out_since_.at(key) : states_;
        out_since[key] = since;
        gone.push_back({since, r});
      }
      // A partition with a single replica goes offline with any restart of its broker: no operator can
      // avoid that (the roll does not gate on it, as Strimzi's does not); its data is judged by
      // deleted-with-replicas and pvc-deleted instead.
      if (rf <= 1)
        continue;
      // Partitions that can never tolerate a restart (min.isr >= replicas) are only judged on going offline.
      int32_t min_isr = t.min_insync_replicas < rf ? t.min_insync_replicas : 1;
      int32_t left = rf - int32_t(gone.size());
      if (left >= min_isr || gone.empty())
        continue;
      std::stable_sort(gone.begin(), gone.end());
      auto crossing = gone[size_t(rf - min_isr)].second;
      if (hit_.count(crossing))
        continue;
      // Decided before the operator could know of the fault that took an earlier replica: the fault's.
      int64_t latest_hit = -1;
      for (size_t i = 0; i < size_t(rf - min_isr); ++i)
        if (hit_.count(gone[i].second))
          latest_hit = std::max(latest_hit, hit_at_[gone[i].second]);
      if (latest_hit >= 0) {
        // The decision: the pod's deletion when seen already (the pod watch may lag Kafka's view), else now.
        auto decided = at_ms;
        if (auto d = deleting_at_.find(crossing);
            d != deleting_at_.end() && d->second <= at_ms && d->second >= latest_hit - reaction_ms_)
          decided = d->second;
        if (decided < latest_hit + reaction_ms_)
          continue;
      }
      std::string what = p.leader < 0 ? " offline" : " below min.insync.replicas";
      report("min-isr/" + name, "min-isr",
             name + what + " (isr " + ids_text(p.isr) + ", min " + std::to_string(t.min_insync_replicas)
                 + ") after broker " + std::to_string(crossing) + " was taken out by the operator",
             crossing);
    }
  out_since_ = std::move(out_since);

  for (const auto& [id, b] : v.brokers) {
    bool was_up = up_.count(id) > 0;
    if (was_up && !b.up && !spec_.count(id) && !hit_.count(id) && b.replicas > 0)
      report("deleted/" + std::to_string(id) + "/" + std::to_string(states_), "deleted-with-replicas",
             "broker " + std::to_string(id) + " left the spec and went down holding " + std::to_string(b.replicas)
                 + " replicas",
             id);
  }

  std::vector<int32_t> disrupted;
  for (auto id : spec_)
    if (ever_up_.count(id) && !hit_.count(id) && !up.count(id))
      disrupted.push_back(id);
  if (int32_t(disrupted.size()) > max_disruptions_)
    report("max-disruptions/" + ids_text(disrupted), "max-disruptions",
           std::to_string(disrupted.size()) + " brokers down at once because of the operator: " + ids_text(disrupted)
               + " (at most " + std::to_string(max_disruptions_) + ")",
           disrupted.front());

  for (auto id : up)
    ever_up_.insert(id);
  up_ = std::move(up);
  open_ = std::move(now_open);
}

} // namespace kactor::sim
