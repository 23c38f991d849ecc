// The simulated API server's load model: seats, queues, 429s, fairness and latency draws as
// kube-apiserver's Priority and Fairness has them (sim/world/api_server/flow_control.hpp).
#include "sim/world/api_server/flow_control.hpp"

#include <algorithm>

#include <gtest/gtest.h>

using namespace kactor::sim;
using namespace std::chrono_literals;

namespace {

flow_control_options small(int seats_total, int hand_size, int queue_length) {
  flow_control_options o;
  o.enabled = true;
  o.max_requests_inflight = seats_total;
  o.max_mutating_requests_inflight = 0;
  o.level_shares = 1;
  o.all_shares = 1;
  o.hand_size = hand_size;
  o.queue_length_limit = queue_length;
  return o;
}

/// Admits one request of `flow`; returns its verdict and appends what starts to `log`.
flow_control::verdict admit(flow_control& fc, const std::string& flow, std::vector<std::string>& log, const std::string& id,
                            flow_control::clock::time_point now = flow_control::clock::now(), int seats = 1) {
  std::vector<flow_control::start_fn> run;
  auto v = fc.admit(flow, seats, [&log, id](bool started) { log.push_back((started ? "start " : "timeout ") + id); }, run, now);
  for (auto& r : run)
    r(true);
  return v;
}

} // namespace

TEST(flow_control, seats_are_the_levels_share_of_both_inflight_flags) {
  flow_control_options o; // 400 + 200, workload-low's 100 of 245 shares
  EXPECT_EQ(o.seats(), 245);
  o.max_requests_inflight = 4;
  o.max_mutating_requests_inflight = 2;
  EXPECT_EQ(o.seats(), 3); // ceil(6 × 100 / 245)
  o.max_requests_inflight = 1;
  o.max_mutating_requests_inflight = 0;
  EXPECT_EQ(o.seats(), 1); // never 0
}

TEST(flow_control, requests_beyond_the_seats_queue_and_start_when_one_is_released) {
  flow_control fc{small(2, 1, 10)};
  std::vector<std::string> log;
  EXPECT_EQ(admit(fc, "kactor", log, "a"), flow_control::verdict::started);
  EXPECT_EQ(admit(fc, "kactor", log, "b"), flow_control::verdict::started);
  EXPECT_EQ(admit(fc, "kactor", log, "c"), flow_control::verdict::queued);
  EXPECT_EQ(log, (std::vector<std::string>{"start a", "start b"}));
  for (auto& s : fc.release("kactor", 1, flow_control::clock::now()))
    s(true);
  EXPECT_EQ(log.back(), "start c");
  auto st = fc.stats_of("kactor");
  EXPECT_EQ(st.requests, 3u);
  EXPECT_EQ(st.queued, 1u);
  EXPECT_EQ(st.in_server_peak, 3);
}

TEST(flow_control, a_full_queue_refuses_and_a_long_wait_times_out) {
  flow_control fc{small(1, 2, 1)}; // a flow may queue hand_size × queue_length_limit = 2
  std::vector<std::string> log;
  auto t0 = flow_control::clock::now();
  EXPECT_EQ(admit(fc, "kactor", log, "a", t0), flow_control::verdict::started);
  EXPECT_EQ(admit(fc, "kactor", log, "b", t0), flow_control::verdict::queued);
  EXPECT_EQ(admit(fc, "kactor", log, "c", t0 + 1s), flow_control::verdict::queued);
  EXPECT_EQ(admit(fc, "kactor", log, "d", t0 + 1s), flow_control::verdict::rejected);
  EXPECT_EQ(fc.stats_of("kactor").rejected_queue_full, 1u);
  EXPECT_EQ(fc.next_expiry(), t0 + 15s);
  auto expired = fc.expire(t0 + 15s); // b waited the limit, c not yet
  ASSERT_EQ(expired.size(), 1u);
  expired.front()(false);
  EXPECT_EQ(log.back(), "timeout b");
  EXPECT_EQ(fc.stats_of("kactor").rejected_time_out, 1u);
}

TEST(flow_control, free_seats_go_to_waiting_flows_in_turn) {
  flow_control fc{small(1, 1, 50)};
  std::vector<std::string> log;
  admit(fc, "busy", log, "busy-0");
  for (int i = 1; i <= 5; ++i)
    admit(fc, "busy", log, "busy-" + std::to_string(i));
  admit(fc, "quiet", log, "quiet-0"); // arrives after five of busy's
  for (auto& s : fc.release("busy", 1, flow_control::clock::now()))
    s(true);
  for (auto& s : fc.release("busy", 1, flow_control::clock::now()))
    s(true);
  // One of busy's, then quiet's: not busy's whole backlog first.
  ASSERT_EQ(log.size(), 3u);
  EXPECT_TRUE(std::find(log.begin(), log.end(), "start quiet-0") != log.end());
}

TEST(flow_control, a_list_takes_seats_by_the_objects_it_reads_and_time_by_them_too) {
  flow_control_options o;
  o.enabled = true;
  flow_control fc{o, 7};
  EXPECT_EQ(fc.cost("list", 0).seats, 1);
  EXPECT_EQ(fc.cost("list", 250).seats, 3);
  EXPECT_EQ(fc.cost("list", 100000).seats, 10);
  EXPECT_EQ(fc.cost("create", 0).seats, 1);
  auto median = [&](const std::string& verb, size_t objects) {
    std::vector<double> v;
    for (int i = 0; i < 2001; ++i)
      v.push_back(double(fc.cost(verb, objects).latency.count()) / 1000);
    std::sort(v.begin(), v.end());
    return std::pair{v[1000], v[1980]}; // median, p99
  };
  auto [get50, get99] = median("get", 0);
  EXPECT_NEAR(get50, 5, 0.5);
  EXPECT_NEAR(get99, 25, 6);
  auto [write50, write99] = median("update", 0);
  EXPECT_NEAR(write50, 20, 2);
  EXPECT_GT(write99, 60);
  auto [list50, list99] = median("list", 3000); // 5 ms + 3,000 × 0.1 ms
  EXPECT_NEAR(list50, 305, 30);
  (void)list99;
}
