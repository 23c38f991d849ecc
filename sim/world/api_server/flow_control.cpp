#include "sim/world/api_server/flow_control.hpp"

#include <algorithm>
#include <cmath>

namespace kactor::sim {

int flow_control_options::seats() const {
  long total = long(max_requests_inflight) + long(max_mutating_requests_inflight);
  if (all_shares <= 0)
    return int(std::max(1L, total));
  return int(std::max(1L, (total * level_shares + all_shares - 1) / all_shares));
}

flow_control::flow_control(flow_control_options opts, uint64_t seed) : opts_(opts), seats_(opts.seats()), rng_(seed) {}

std::chrono::microseconds flow_control::draw(std::chrono::microseconds median) {
  if (median.count() <= 0)
    return median;
  // Log-normal: the median is e^mu, the p99 e^(mu + 2.326 sigma) = tail × median.
  double sigma = opts_.tail > 1 ? std::log(opts_.tail) / 2.326 : 0.0;
  std::lognormal_distribution<double> d{std::log(double(median.count())), sigma};
  std::lock_guard guard{mutex_};
  return std::chrono::microseconds{int64_t(d(rng_))};
}

request_cost flow_control::cost(const std::string& verb, size_t objects) {
  request_cost c;
  if (verb == "get") {
    c.latency = draw(opts_.get_median);
  } else if (verb == "list") {
    c.seats = int(std::clamp<size_t>((objects + 99) / 100, 1, 10));
    c.latency = draw(opts_.list_median + opts_.list_per_object * int64_t(objects));
  } else {
    c.latency = draw(opts_.write_median);
  }
  return c;
}

flow_control::verdict flow_control::admit(const std::string& name, int seats, start_fn start, std::vector<start_fn>& run,
                                          clock::time_point now) {
  std::lock_guard guard{mutex_};
  seats = std::clamp(seats, 1, seats_);
  auto& f = flows_[name];
  ++f.stats.requests;
  bool others_waiting = std::any_of(flows_.begin(), flows_.end(), [](const auto& kv) { return !kv.second.queue.empty(); });
  if (!others_waiting && executing_ + seats <= seats_) {
    executing_ += seats;
    executing_peak_ = std::max(executing_peak_, executing_);
    f.stats.in_server_peak = std::max(f.stats.in_server_peak, ++f.stats.in_server);
    run.push_back(std::move(start));
    return verdict::started;
  }
  if (f.queue.size() >= size_t(std::max(0, opts_.hand_size * opts_.queue_length_limit))) {
    ++f.stats.rejected_queue_full;
    return verdict::rejected;
  }
  ++f.stats.queued;
  f.stats.in_server_peak = std::max(f.stats.in_server_peak, ++f.stats.in_server);
  f.queue.push_back({seats, now, std::move(start)});
  dispatch(run, now);
  return verdict::queued;
}

void flow_control::dispatch(std::vector<start_fn>& out, clock::time_point now) {
  // Round robin over the flows with work, starting after the one served last; a flow whose head does not
  // fit blocks the dispatch (it is next in turn: skipping it would starve wide requests).
  while (true) {
    auto it = flows_.upper_bound(last_served_);
    bool found = false;
    for (size_t n = 0; n < flows_.size(); ++n, ++it) {
      if (it == flows_.end())
        it = flows_.begin();
      if (!it->second.queue.empty()) {
        found = true;
        break;
      }
    }
    if (!found)
      return;
    auto& head = it->second.queue.front();
    if (executing_ + head.seats > seats_)
      return;
    executing_ += head.seats;
    executing_peak_ = std::max(executing_peak_, executing_);
    double waited = std::chrono::duration<double, std::milli>(now - head.since).count();
    it->second.stats.queue_wait_ms_total += waited;
    it->second.stats.queue_wait_ms_max = std::max(it->second.stats.queue_wait_ms_max, waited);
    out.push_back(std::move(head.start));
    it->second.queue.pop_front();
    last_served_ = it->first;
  }
}

std::vector<flow_control::start_fn> flow_control::release(const std::string& name, int seats, clock::time_point now) {
  std::lock_guard guard{mutex_};
  seats = std::clamp(seats, 1, seats_);
  executing_ = std::max(0, executing_ - seats);
  if (auto it = flows_.find(name); it != flows_.end())
    it->second.stats.in_server = std::max(0, it->second.stats.in_server - 1);
  std::vector<start_fn> out;
  dispatch(out, now);
  return out;
}

std::vector<flow_control::start_fn> flow_control::expire(clock::time_point now) {
  std::lock_guard guard{mutex_};
  std::vector<start_fn> out;
  for (auto& [name, f] : flows_) {
    while (!f.queue.empty() && now - f.queue.front().since >= opts_.queue_wait_limit) {
      out.push_back(std::move(f.queue.front().start));
      f.queue.pop_front();
      ++f.stats.rejected_time_out;
      f.stats.in_server = std::max(0, f.stats.in_server - 1);
    }
  }
  return out;
}

flow_control::clock::time_point flow_control::next_expiry() const {
  std::lock_guard guard{mutex_};
  auto next = clock::time_point::max();
  for (const auto& [name, f] : flows_)
    if (!f.queue.empty())
      next = std::min(next, f.queue.front().since + opts_.queue_wait_limit);
  return next;
}

flow_stats flow_control::stats_of(const std::string& name) const {
  std::lock_guard guard{mutex_};
  auto it = flows_.find(name);
  return it == flows_.end() ? flow_stats{} : it->second.stats;
}

nlohmann::json flow_control::stats() const {
  std::lock_guard guard{mutex_};
  nlohmann::json flows = nlohmann::json::object();
  for (const auto& [name, f] : flows_) {
    const auto& s = f.stats;
    flows[name.empty() ? "(none)" : name] = {{"requests", s.requests},
                                             {"queued", s.queued},
                                             {"rejectedQueueFull", s.rejected_queue_full},
                                             {"rejectedTimeOut", s.rejected_time_out},
                                             {"queueWaitMsTotal", s.queue_wait_ms_total},
                                             {"queueWaitMsMax", s.queue_wait_ms_max},
                                             {"waiting", f.queue.size()},
                                             {"inServerPeak", s.in_server_peak}};
  }
  return {{"enabled", opts_.enabled},
          {"seats", seats_},
          {"executing", executing_},
          {"executingPeak", executing_peak_},
          {"flows", flows}};
}

} // namespace kactor::sim
