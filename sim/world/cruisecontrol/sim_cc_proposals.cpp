// The simulated Cruise Control's proposals: which replicas to move for add_broker, remove_broker,
// rebalance (between brokers or, with rebalance_disk, between a broker's log dirs), remove_disks and
// demote_broker, computed over a view of the simulated Kafka. Greedy and deterministic: one move per
// partition per proposal, never two replicas of a partition on one broker.
#include <algorithm>
#include <set>
#include <sstream>

#include "sim/world/cruisecontrol/sim_cc_state.hpp"

namespace kactor::sim::cc {

namespace {

const std::string illegal = "java.lang.IllegalArgumentException: ";

struct replica_ref {
  std::string topic;
  int32_t partition;
};

/// The working model: replicas per broker and log dir, updated as moves are planned.
struct replica_model {
  const sim_cluster_view& v;
  std::map<int32_t, std::vector<replica_ref>> on_broker;
  std::map<std::pair<std::string, int32_t>, std::vector<int32_t>> replicas; ///< partition → brokers
  std::map<std::pair<std::string, int32_t>, const sim_placement*> placement;
  std::set<std::pair<std::string, int32_t>> planned;

  explicit replica_model(const sim_cluster_view& view) : v(view) {
    for (const auto& [id, b] : v.brokers)
      on_broker[id];
    for (const auto& pl : v.placements) {
      placement[{pl.topic, pl.partition}] = &pl;
      for (const auto& [b, dir] : pl.log_dirs) {
        on_broker[b].push_back({pl.topic, pl.partition});
        replicas[{pl.topic, pl.partition}].push_back(b);
      }
    }
  }
  int32_t count(int32_t b) const { return int32_t(on_broker.at(b).size()); }
  double bytes(const replica_ref& r) const { return placement.at({r.topic, r.partition})->bytes; }

  /// A partition on `from` that `to` does not hold and no planned move touches.
  std::optional<replica_ref> movable(int32_t from, int32_t to) const {
    for (const auto& r : on_broker.at(from)) {
      auto key = std::make_pair(r.topic, r.partition);
      const auto& reps = replicas.at(key);
      if (!planned.count(key) && std::find(reps.begin(), reps.end(), to) == reps.end())
        return r;
    }
    return std::nullopt;
  }
  void move(proposal& p, const replica_ref& r, int32_t from, int32_t to) {
    auto key = std::make_pair(r.topic, r.partition);
    auto& src = on_broker[from];
    src.erase(std::find_if(src.begin(), src.end(), [&](const auto& x) { return x.topic == r.topic && x.partition == r.partition; }));
    on_broker[to].push_back(r);
    std::replace(replicas[key].begin(), replicas[key].end(), from, to);
    planned.insert(key);
    p.moves.push_back({partition_move::kind::replica, r.topic, r.partition, from, to, {}});
    p.data_bytes += bytes(r);
  }
};

std::vector<int32_t> parse_ids(const std::string& text, std::string& error) {
  std::vector<int32_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    try {
      size_t used = 0;
      out.push_back(std::stoi(item, &used));
      if (used != item.size())
        throw std::invalid_argument(item);
    } catch (const std::exception&) {
      error = illegal + "Invalid broker id \"" + item + "\".";
    }
  return out;
}

std::string check_brokers(const sim_cluster_view& v, const std::vector<int32_t>& ids) {
  for (auto id : ids)
    if (!v.brokers.count(id))
      return illegal + "Broker [" + std::to_string(id) + "] does not exist.";
  return {};
}

std::vector<int32_t> live_brokers(const sim_cluster_view& v) {
  std::vector<int32_t> out;
  for (const auto& [id, b] : v.brokers)
    if (b.up)
      out.push_back(id);
  return out;
}

/// Moves replicas from the fullest of `sources` to the emptiest of `targets` until even (max - min <= 1).
void even_out(replica_model& m, proposal& p, const std::vector<int32_t>& sources, const std::vector<int32_t>& targets) {
  std::set<std::pair<int32_t, int32_t>> stuck; // (from, to) pairs with nothing movable
  for (;;) {
    int32_t best_from = -1, best_to = -1, best_gap = 1;
    for (auto s : sources)
      for (auto t : targets)
        if (s != t && !stuck.count({s, t}) && m.count(s) - m.count(t) > best_gap) {
          best_gap = m.count(s) - m.count(t);
          best_from = s;
          best_to = t;
        }
    if (best_from < 0)
      return;
    if (auto r = m.movable(best_from, best_to))
      m.move(p, *r, best_from, best_to);
    else
      stuck.insert({best_from, best_to});
  }
}

/// `ids` without the brokers in `out`.
std::vector<int32_t> without(std::vector<int32_t> ids, const std::set<int32_t>& out) {
  ids.erase(std::remove_if(ids.begin(), ids.end(), [&](int32_t id) { return out.count(id) > 0; }), ids.end());
  return ids;
}

/// `destinations`: the live brokers replicas may go to (destination_broker_ids, recently removed excluded).
plan_result remove_brokers(replica_model& m, proposal& p, const std::vector<int32_t>& gone, const std::vector<int32_t>& destinations) {
  std::vector<int32_t> rest;
  for (auto id : destinations)
    if (std::find(gone.begin(), gone.end(), id) == gone.end())
      rest.push_back(id);
  for (auto g : gone) {
    auto replicas = m.on_broker[g];
    for (const auto& r : replicas) {
      const auto& holders = m.replicas[{r.topic, r.partition}];
      int32_t to = -1;
      for (auto c : rest)
        if (std::find(holders.begin(), holders.end(), c) == holders.end() && (to < 0 || m.count(c) < m.count(to)))
          to = c;
      if (to < 0)
        return {std::nullopt, "com.linkedin.kafka.cruisecontrol.exception.OptimizationFailureException: "
                              "[ReplicaCapacityGoal] Insufficient number of alive brokers to move the replicas of "
                              + r.topic + "-" + std::to_string(r.partition) + " off broker " + std::to_string(g) + "."};
      m.planned.erase({r.topic, r.partition}); // a partition may lose several removed brokers
      m.move(p, r, g, to);
    }
  }
  return {std::move(p), {}};
}

/// Intra-broker: replicas of `b` off `from_dirs` (all of them) or evening its dirs (from_dirs empty).
std::string plan_disks(const replica_model& m, proposal& p, int32_t b, const std::vector<std::string>& from_dirs) {
  const auto& bv = m.v.brokers.at(b);
  std::map<std::string, int32_t> count = bv.replicas_by_log_dir;
  std::vector<std::string> targets;
  for (const auto& d : bv.log_dirs)
    if (std::find(from_dirs.begin(), from_dirs.end(), d) == from_dirs.end())
      targets.push_back(d);
  for (const auto& d : from_dirs)
    if (!count.count(d))
      return illegal + "Broker " + std::to_string(b) + " has no log dir " + d + ".";
  if (targets.empty())
    return illegal + "Broker " + std::to_string(b) + " has no log dir left to move the replicas of "
           + (from_dirs.empty() ? std::string{"its log dirs"} : from_dirs.front()) + " to.";
  auto emptiest = [&] {
    return *std::min_element(targets.begin(), targets.end(), [&](auto& x, auto& y) { return count[x] < count[y]; });
  };
  for (const auto& pl : m.v.placements) {
    auto it = pl.log_dirs.find(b);
    if (it == pl.log_dirs.end() || pl.moving)
      continue;
    const std::string& dir = it->second;
    std::string to;
    if (!from_dirs.empty()) {
      if (std::find(from_dirs.begin(), from_dirs.end(), dir) == from_dirs.end())
        continue;
      to = emptiest();
    } else {
      to = emptiest();
      if (count[dir] - count[to] <= 1)
        continue;
    }
    --count[dir];
    ++count[to];
    p.moves.push_back({partition_move::kind::log_dir, pl.topic, pl.partition, b, -1, to});
    p.intra_data_bytes += pl.bytes;
  }
  return {};
}

} // namespace

plan_result plan(const std::string& endpoint, const std::map<std::string, std::string>& params,
                 const sim_cluster_view& v, const std::set<int32_t>& recently_removed) {
  auto param = [&](const char* k) {
    auto it = params.find(k);
    return it == params.end() ? std::string{} : it->second;
  };
  std::string error;
  replica_model m(v);
  proposal p;
  auto finish = [&](plan_result r) {
    if (r.plan) {
      for (const auto& [id, list] : m.on_broker)
        r.plan->replicas_after[id] = int32_t(list.size());
    }
    return r;
  };
  if (endpoint == "remove_disks") {
    std::map<int32_t, std::vector<std::string>> dirs;
    std::stringstream in(param("brokerid_and_logdirs"));
    std::string item;
    while (std::getline(in, item, ',')) {
      auto dash = item.find('-');
      std::vector<int32_t> id = parse_ids(item.substr(0, dash), error);
      if (dash == std::string::npos || id.size() != 1 || !error.empty())
        return {std::nullopt, illegal + "Invalid brokerid_and_logdirs entry \"" + item + "\"."};
      dirs[id.front()].push_back(item.substr(dash + 1));
    }
    if (dirs.empty())
      return {std::nullopt, illegal + "brokerid_and_logdirs is empty."};
    for (const auto& [b, list] : dirs) {
      if (auto e = check_brokers(v, {b}); !e.empty())
        return {std::nullopt, e};
      if (auto e = plan_disks(m, p, b, list); !e.empty())
        return {std::nullopt, e};
    }
    return finish({std::move(p), {}});
  }
  auto ids = parse_ids(param(endpoint == "rebalance" ? "destination_broker_ids" : "brokerid"), error);
  if (!error.empty())
    return {std::nullopt, error};
  if (auto e = check_brokers(v, ids); !e.empty())
    return {std::nullopt, e};
  if (endpoint == "demote_broker") {
    p.demote = ids;
    for (const auto& t : v.topics)
      for (const auto& part : t.partitions)
        p.leader_movements += std::find(ids.begin(), ids.end(), part.leader) != ids.end();
    return finish({std::move(p), {}});
  }
  auto live = live_brokers(v);
  // ParameterUtils' exclude_recently_removed_brokers: no replica goes to a broker removed within
  // removal.history.retention.time.ms (it may still be a source).
  std::set<int32_t> excluded;
  if (param("exclude_recently_removed_brokers") == "true")
    excluded = recently_removed;
  if (endpoint == "remove_broker") {
    auto destinations = parse_ids(param("destination_broker_ids"), error);
    if (!error.empty())
      return {std::nullopt, error};
    if (auto e = check_brokers(v, destinations); !e.empty())
      return {std::nullopt, e};
    std::vector<int32_t> allowed;
    for (auto b : live)
      if (destinations.empty() || std::find(destinations.begin(), destinations.end(), b) != destinations.end())
        allowed.push_back(b);
    return finish(remove_brokers(m, p, ids, without(allowed, excluded)));
  }
  if (endpoint == "rebalance" && param("rebalance_disk") == "true") {
    for (auto b : ids.empty() ? live : ids)
      if (auto e = plan_disks(m, p, b, {}); !e.empty() && v.brokers.at(b).log_dirs.size() > 1)
        return {std::nullopt, e};
    return finish({std::move(p), {}});
  }
  if (endpoint == "add_broker") {
    for (auto id : ids)
      if (!v.brokers.at(id).up)
        return {std::nullopt, illegal + "Broker [" + std::to_string(id) + "] is not alive."};
    std::vector<int32_t> sources;
    for (auto b : live)
      if (std::find(ids.begin(), ids.end(), b) == ids.end())
        sources.push_back(b);
    even_out(m, p, sources, without(ids, excluded));
    return finish({std::move(p), {}});
  }
  // rebalance between brokers: onto the destinations if given, else among all live brokers.
  even_out(m, p, live, without(ids.empty() ? live : ids, excluded));
  return finish({std::move(p), {}});
}

} // namespace kactor::sim::cc
