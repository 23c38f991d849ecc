// The Kubernetes client against an API server that pushes back as kube-apiserver does (the simulated
// server's load model: latency, Priority and Fairness seats and queues, 429 with Retry-After): the client
// honours a 429's Retry-After and keeps a burst of requests within its in-flight bound.
#include "integrations/kubernetes/kube_client.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace kactor::integrations::kubernetes {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<sim::api_server> loaded_server(sim::flow_control_options load) {
  sim::api_server_options opts;
  opts.load = load;
  auto server = sim::api_server::start(opts);
  if (!server.is_ok()) {
    ADD_FAILURE() << server.error().message();
    return nullptr;
  }
  return std::move(server.value());
}

TEST(KubeClientUnderLoad, PriorityAndFairnessRefusalsAreRetriedAfterRetryAfter) {
  // One seat and no queue: a second request while one is served is refused 429 ("queue-full").
  sim::flow_control_options load;
  load.enabled = true;
  load.max_requests_inflight = 1;
  load.max_mutating_requests_inflight = 0;
  load.hand_size = 1;
  load.queue_length_limit = 0;
  load.write_median = 100ms;
  load.tail = 1;
  auto server = loaded_server(load);
  ASSERT_TRUE(server);
  auto client = testing::make_client(*server);
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<api_result<json>> results;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i)
    client->create(resources::configmaps(), "default", {{"metadata", {{"name", "cm-" + std::to_string(i)}}}},
                   [&](api_result<json> r) {
                     std::lock_guard lock{mutex};
                     results.push_back(std::move(r));
                     cv.notify_all();
                   });
  {
    std::unique_lock lock{mutex};
    ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return results.size() == 3; }));
  }
  auto waited = std::chrono::steady_clock::now() - start;
  for (const auto& r : results)
    EXPECT_TRUE(r.is_ok()) << r.error().to_string();
  auto stats = server->flow_stats_of("kactor");
  EXPECT_GE(stats.rejected_queue_full, 2u); // two of the three were refused at first
  auto snap = client->metrics().snapshot();
  EXPECT_EQ((snap[{"create", "configmaps", 429}].count), stats.rejected_queue_full);
  EXPECT_EQ((snap[{"create", "configmaps", 201}].count), 3u);
  EXPECT_GE(waited, 950ms); // no retry before the server's Retry-After: 1
  EXPECT_LT(waited, 15s);
  client->stop();
}

TEST(KubeClientUnderLoad, ABurstOfTenThousandRequestsStaysWithinTheInFlightBound) {
  sim::flow_control_options load; // kube-apiserver's defaults (245 seats) with short latencies
  load.enabled = true;
  load.get_median = 200us;
  auto server = loaded_server(load);
  ASSERT_TRUE(server);
  kube_client_options opts;
  opts.max_in_flight = 8;
  auto client = testing::make_client(*server, opts);
  ASSERT_TRUE(client->create_sync(resources::configmaps(), "default", {{"metadata", {{"name", "hot"}}}}).is_ok());
  constexpr int n = 10000;
  std::atomic<int> ok{0}, failed{0};
  std::mutex mutex;
  std::condition_variable cv;
  for (int i = 0; i < n; ++i)
    client->get(resources::configmaps(), "default", "hot", [&](api_result<json> r) {
      (r.is_ok() ? ok : failed)++;
      if (ok + failed == n) {
        std::lock_guard lock{mutex};
        cv.notify_all();
      }
    });
  {
    std::unique_lock lock{mutex};
    ASSERT_TRUE(cv.wait_for(lock, 60s, [&] { return ok + failed == n; })) << ok << " answered of " << n;
  }
  EXPECT_EQ(ok, n);
  auto stats = server->flow_stats_of("kactor");
  EXPECT_EQ(stats.requests, uint64_t(n) + 1);
  EXPECT_LE(stats.in_server_peak, 8);  // the server never saw more than the bound from this client
  EXPECT_GE(stats.in_server_peak, 2);  // and the bound was used, not one request at a time
  EXPECT_EQ(stats.rejected_queue_full + stats.rejected_time_out, 0u);
  client->stop();
}

TEST(KubeClientUnderLoad, StatusWritesWaitBehindOtherRequests) {
  // One slot in flight: while it is busy, a status write queued first still starts after a create queued
  // later (what the cluster needs goes before reports about it).
  sim::flow_control_options load;
  load.enabled = true;
  load.get_median = 300ms;
  load.write_median = 1ms;
  load.tail = 1;
  auto server = loaded_server(load);
  ASSERT_TRUE(server);
  kube_client_options opts;
  opts.max_in_flight = 1;
  auto client = testing::make_client(*server, opts);
  auto cm = client->create_sync(resources::configmaps(), "default", {{"metadata", {{"name", "slow"}}}});
  ASSERT_TRUE(cm.is_ok());
  auto cluster = client->create_sync(resources::pods(), "default",
                                     {{"metadata", {{"name", "kafka-0"}}},
                                      {"spec", {{"containers", json::array({{{"name", "kafka"}, {"image", "kafka"}}})}}}});
  ASSERT_TRUE(cluster.is_ok()) << cluster.error().to_string();
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> order;
  auto note = [&](std::string what) {
    return [&, what](api_result<json> r) {
      EXPECT_TRUE(r.is_ok()) << what << ": " << r.error().to_string();
      std::lock_guard lock{mutex};
      order.push_back(what);
      cv.notify_all();
    };
  };
  client->get(resources::configmaps(), "default", "slow", note("get")); // holds the one slot ~300 ms
  std::this_thread::sleep_for(50ms);
  json status = cluster.value();
  status["status"] = {{"phase", "Running"}};
  client->update_status(resources::pods(), "default", status, note("status"));
  client->create(resources::configmaps(), "default", {{"metadata", {{"name", "urgent"}}}}, note("create"));
  {
    std::unique_lock lock{mutex};
    ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return order.size() == 3; }));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"get", "create", "status"}));
  client->stop();
}

} // namespace
} // namespace kactor::integrations::kubernetes
