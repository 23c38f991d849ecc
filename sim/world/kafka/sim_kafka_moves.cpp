// The simulated Kafka's replica placement on log dirs and its reassignments (partition_move in
// sim_kafka.hpp): starting, copying at move_bytes_per_second on the simulation thread, completing,
// cancelling, and leadership demotion. State changes happen under impl::mutex; observers are told after.
#include <algorithm>

#include "sim/world/kafka/sim_kafka_state.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

namespace {

using kafka::admin_error;
using ek = kafka::admin_error::kind;

bool lists(const std::vector<int32_t>& v, int32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool valid_dir(const sim_broker& b, const std::string& dir) {
  return !dir.empty() && std::find(b.log_dirs.begin(), b.log_dirs.end(), dir) != b.log_dirs.end();
}

/// The log dir of `b` holding the fewest replicas.
std::string emptiest_dir(const sim_cluster& c, const sim_broker& b) {
  std::map<std::string, int> count;
  for (const auto& d : b.log_dirs)
    if (!d.empty())
      count[d];
  if (count.empty())
    return {};
  for (const auto& [tn, t] : c.topics)
    for (const auto& p : t.partitions)
      if (lists(p.replicas, b.id))
        if (auto it = count.find(log_dir_of(b, p)); it != count.end())
          ++it->second;
  return std::min_element(count.begin(), count.end(), [](auto& x, auto& y) { return x.second < y.second; })->first;
}

bool live(const sim_cluster& c, int32_t id) {
  auto it = c.brokers.find(id);
  return it != c.brokers.end() && it->second.up;
}

/// The first live ISR member in replica order, or -1.
int32_t first_live_isr(const sim_cluster& c, const sim_partition& p, int32_t except) {
  for (auto r : p.replicas)
    if (r != except && lists(p.isr, r) && live(c, r))
      return r;
  return -1;
}

/// Ends `p`'s move: its new replica set (replica move) or placement (log dir move) takes effect.
void complete(sim_cluster& c, sim_partition& p) {
  const auto& m = p.move->what;
  if (m.what == partition_move::kind::log_dir) {
    p.dirs[m.from] = m.log_dir;
    return;
  }
  // The target was appended while copying; it now takes the source's place in the replica order.
  p.replicas.erase(std::find(p.replicas.begin(), p.replicas.end(), m.to));
  std::replace(p.replicas.begin(), p.replicas.end(), m.from, m.to);
  if (!lists(p.isr, m.to))
    p.isr.push_back(m.to);
  if (auto it = std::find(p.isr.begin(), p.isr.end(), m.from); it != p.isr.end())
    p.isr.erase(it);
  std::sort(p.isr.begin(), p.isr.end(), [&](int32_t x, int32_t y) {
    return std::find(p.replicas.begin(), p.replicas.end(), x) < std::find(p.replicas.begin(), p.replicas.end(), y);
  });
  p.dirs.erase(m.from);
  if (p.leader == m.from || p.leader < 0)
    p.leader = first_live_isr(c, p, -1);
}

/// Undoes `p`'s move: the old replica set and placement stay.
void revert(sim_partition& p) {
  const auto& m = p.move->what;
  if (m.what == partition_move::kind::replica) {
    if (auto it = std::find(p.replicas.begin(), p.replicas.end(), m.to); it != p.replicas.end())
      p.replicas.erase(it);
    if (auto it = std::find(p.isr.begin(), p.isr.end(), m.to); it != p.isr.end())
      p.isr.erase(it);
    p.dirs.erase(m.to);
  }
}

} // namespace

std::string log_dir_of(const sim_broker& b, const sim_partition& p) {
  if (auto it = p.dirs.find(b.id); it != p.dirs.end() && valid_dir(b, it->second))
    return it->second;
  std::vector<std::string> dirs;
  for (const auto& d : b.log_dirs)
    if (!d.empty())
      dirs.push_back(d);
  return dirs.empty() ? std::string{} : dirs[size_t(p.id) % dirs.size()];
}

void place_replicas(sim_cluster& c) {
  for (auto& [tn, t] : c.topics)
    for (auto& p : t.partitions)
      for (auto r : p.replicas)
        if (auto it = c.brokers.find(r); it != c.brokers.end())
          if (auto dir = log_dir_of(it->second, p); !dir.empty())
            p.dirs[r] = dir;
}

bool advance_moves(sim_kafka::impl& k, sim_cluster& c, double dt) {
  bool changed = false;
  for (auto& [tn, t] : c.topics)
    for (auto& p : t.partitions) {
      if (!p.move)
        continue;
      const auto& m = p.move->what;
      int32_t copier = m.what == partition_move::kind::replica ? m.to : m.from;
      // Copying needs the copier up and a live leader to fetch from (a log dir move copies locally).
      bool can_copy = live(c, copier) && (m.what == partition_move::kind::log_dir || p.leader >= 0);
      if (!can_copy)
        continue; // stalled until the broker is back
      p.move->copied += k.opts.move_bytes_per_second * dt;
      if (p.move->copied < p.bytes)
        continue;
      complete(c, p);
      k.finished_moves[p.move->id] = move_status::done;
      p.move.reset();
      changed = true;
    }
  return changed;
}

kafka::admin_result<uint64_t> sim_kafka::start_move(const std::string& ns, const std::string& cluster, partition_move m) {
  std::vector<sim_cluster_view> changed;
  uint64_t id = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto* c = impl_->find(ns, cluster);
    if (!c)
      return admin_error{ek::invalid_config, "no cluster " + ns + "/" + cluster};
    auto t = c->topics.find(m.topic);
    if (t == c->topics.end() || m.partition < 0 || m.partition >= int32_t(t->second.partitions.size()))
      return admin_error{ek::invalid_config, "unknown partition " + m.topic + "-" + std::to_string(m.partition)};
    auto& p = t->second.partitions[size_t(m.partition)];
    auto name = m.topic + "-" + std::to_string(m.partition);
    if (p.move)
      return admin_error{ek::invalid_config, name + " is already being reassigned"};
    if (!lists(p.replicas, m.from))
      return admin_error{ek::invalid_config, "broker " + std::to_string(m.from) + " holds no replica of " + name};
    if (m.what == partition_move::kind::replica) {
      auto to = c->brokers.find(m.to);
      if (to == c->brokers.end())
        return admin_error{ek::invalid_config, "unknown broker " + std::to_string(m.to)};
      if (lists(p.replicas, m.to))
        return admin_error{ek::invalid_config, "broker " + std::to_string(m.to) + " already holds " + name};
      if (m.log_dir.empty())
        m.log_dir = emptiest_dir(*c, to->second);
      else if (!valid_dir(to->second, m.log_dir))
        return admin_error{ek::invalid_config, "broker " + std::to_string(m.to) + " has no log dir " + m.log_dir};
      p.replicas.push_back(m.to);
      if (!m.log_dir.empty())
        p.dirs[m.to] = m.log_dir;
    } else {
      auto& b = c->brokers[m.from];
      if (!valid_dir(b, m.log_dir))
        return admin_error{ek::invalid_config, "broker " + std::to_string(m.from) + " has no log dir " + m.log_dir};
      if (log_dir_of(b, p) == m.log_dir)
        return admin_error{ek::invalid_config, name + " is already on " + m.log_dir + " of broker " + std::to_string(m.from)};
    }
    id = ++impl_->next_move;
    p.move = sim_move{id, std::move(m), 0};
    changed.push_back(c->view());
  }
  impl_->notify(changed);
  return id;
}

move_status sim_kafka::status_of(uint64_t move_id) const {
  std::lock_guard lock(impl_->mutex);
  if (auto it = impl_->finished_moves.find(move_id); it != impl_->finished_moves.end())
    return it->second;
  for (const auto& [key, c] : impl_->clusters)
    for (const auto& [tn, t] : c.topics)
      for (const auto& p : t.partitions)
        if (p.move && p.move->id == move_id)
          return move_status::pending;
  return move_status::unknown;
}

int32_t sim_kafka::cancel_moves(const std::string& ns, const std::string& cluster, const std::vector<uint64_t>& ids) {
  std::vector<sim_cluster_view> changed;
  int32_t n = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto* c = impl_->find(ns, cluster);
    if (!c)
      return 0;
    for (auto& [tn, t] : c->topics)
      for (auto& p : t.partitions)
        if (p.move && (ids.empty() || std::find(ids.begin(), ids.end(), p.move->id) != ids.end())) {
          revert(p);
          impl_->finished_moves[p.move->id] = move_status::cancelled;
          p.move.reset();
          ++n;
        }
    if (n > 0)
      changed.push_back(c->view());
  }
  impl_->notify(changed);
  return n;
}

int32_t sim_kafka::demote(const std::string& ns, const std::string& cluster, int32_t broker) {
  std::vector<sim_cluster_view> changed;
  int32_t n = 0;
  {
    std::lock_guard lock(impl_->mutex);
    auto* c = impl_->find(ns, cluster);
    if (!c)
      return 0;
    for (auto& [tn, t] : c->topics)
      for (auto& p : t.partitions) {
        if (!lists(p.replicas, broker) || p.move)
          continue;
        // Last in the replica order: the preferred leader election does not give it back.
        p.replicas.erase(std::find(p.replicas.begin(), p.replicas.end(), broker));
        p.replicas.push_back(broker);
        if (p.leader != broker)
          continue;
        if (auto next = first_live_isr(*c, p, broker); next >= 0) {
          p.leader = next;
          ++n;
        }
      }
    changed.push_back(c->view());
  }
  impl_->notify(changed);
  return n;
}

} // namespace kactor::sim
