// Every invariant of the scenario checker can fail: each test runs a small scenario against an operator
// with one deliberate flaw (model/operator_flaw.hpp) and expects the invariant that flaw breaks to be
// reported. min-isr is proven in scenario_runner_test.cpp (the_checker_catches_an_operator_that_rolls_unsafely).
// Where the scenario is not run elsewhere without a flaw, the same scenario is also shown to pass.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "sim/scenario/scenario_runner.hpp"

using namespace kactor::sim;
using kactor::model::operator_flaw;

namespace {

constexpr double flaw_test_scale = 200;

/// These tests assert verdicts only, so they are built for the normal pass alone: under a sanitizer the
/// operator is several times slower while simulated time is not (tests/CMakeLists.txt).
class flaws : public ::testing::Test {
protected:
};

scenario parsed(const char* yaml, operator_flaw flaw) {
  auto s = parse_scenario(yaml);
  EXPECT_TRUE(s.is_ok()) << s.error().message();
  auto out = s.value();
  out.scale = flaw_test_scale;
  out.flaw = flaw;
  return out;
}

/// The run's violations of `invariant`, every violation listed on failure.
size_t count(const run_record& r, const std::string& invariant) {
  return size_t(std::count_if(r.violations.begin(), r.violations.end(),
                              [&](const auto& v) { return v.invariant == invariant; }));
}

std::string all(const run_record& r) {
  std::string out;
  for (const auto& v : r.violations)
    out += "\n  " + v.invariant + ": " + v.detail;
  for (const auto& st : r.steps)
    if (!st.ok)
      out += "\n  step " + st.name + ": " + st.problem;
  return out;
}

void expect_caught(const scenario& s, const std::string& invariant) {
  auto r = run_scenario(s, {});
  EXPECT_FALSE(r.passed);
  EXPECT_GT(count(r, invariant), 0u) << "flaw " << to_string(s.flaw) << " not caught as " << invariant << ":"
                                     << all(r);
}

void expect_passes(scenario s) {
  s.flaw = operator_flaw::none;
  auto r = run_scenario(s, {});
  EXPECT_TRUE(r.passed) << all(r);
}

// Broker 1 leaves; RF 2 over three brokers, so it holds replicas until Cruise Control drained it.
const char* remove_broker = R"(
name: remove-broker
convergeWithin: 5m
topics:
  - {name: orders, partitions: 12, replicationFactor: 2, minInsyncReplicas: 1, produceBytesPerSecond: 1Mi}
steps:
  - {wait: 20s}
  - removeBroker: 1
  - waitConverged: 3m
)";

// Broker 2's second disk (the deploy/ sample's /kafka-logs-2) leaves; replicas are placed on it. Slow
// moves (40 s simulated per replica) keep its data there well after the flaw unmounted it: with 50Mi/s
// Cruise Control once drained it before the flawed restart came (a run in 10 went unseen).
const char* remove_disk = R"(
name: remove-disk
convergeWithin: 5m
timing: {moveBytesPerSecond: 1Mi}
topics:
  - {name: events, partitions: 12, replicationFactor: 3, minInsyncReplicas: 2, produceBytesPerSecond: 2Mi}
steps:
  - {wait: 20s}
  - removeDisk: {broker: 2, mountPath: /kafka-logs-2}
  - waitConverged: 3m
)";

// Nothing happens after the cluster is up: the status must be right and the operator quiet.
const char* idle = R"(
name: idle
convergeWithin: 5m
topics:
  - {name: orders, partitions: 6, replicationFactor: 3, minInsyncReplicas: 2}
steps:
  - {wait: 10s}
)";

// convergeWithin (5m) also bounds the cluster's creation: 2m was seen too short on a loaded machine.

} // namespace

TEST_F(flaws, deleted_with_replicas_is_caught) {
  expect_caught(parsed(remove_broker, operator_flaw::delete_leaving_at_once), "deleted-with-replicas");
}

TEST_F(flaws, pvc_deleted_is_caught) {
  expect_caught(parsed(remove_disk, operator_flaw::delete_undrained_disks), "pvc-deleted");
}

TEST_F(flaws, convergence_is_caught) {
  expect_caught(parsed(remove_broker, operator_flaw::never_drain), "convergence");
}

TEST_F(flaws, max_disruptions_is_caught) {
  // min.isr 1 on RF 3: two brokers down at once keep every partition above min.isr, so only the number of
  // brokers down tells the flaw.
  auto s = parsed(R"(
name: roll
topics:
  - {name: orders, partitions: 6, replicationFactor: 3, minInsyncReplicas: 1}
steps:
  - readOnlyConfig: "num.network.threads=5"
  - waitConverged: 5m
)",
                  operator_flaw::roll_two_at_once);
  expect_caught(s, "max-disruptions");
}

TEST_F(flaws, scope_is_caught) {
  auto s = parsed(R"(
name: one-broker-config
convergeWithin: 5m
topics:
  - {name: orders, partitions: 6, replicationFactor: 3, minInsyncReplicas: 2}
steps:
  - brokerConfig: {broker: 0, config: "controlled.shutdown.max.retries=5"}
  - waitConverged: 5m
)",
                  operator_flaw::leak_broker_config);
  expect_caught(s, "scope");
  expect_passes(s);
}

TEST_F(flaws, final_status_is_caught) { expect_caught(parsed(idle, operator_flaw::wrong_status_image), "final-status"); }

TEST_F(flaws, idle_writes_is_caught) {
  auto r = run_scenario(parsed(idle, operator_flaw::status_write_every_pass), {});
  ASSERT_GT(count(r, "idle-writes"), 0u) << all(r);
  // The violation names what was written, so that a seed failing it in a sweep can be read, not only replayed.
  for (const auto& v : r.violations)
    if (v.invariant == "idle-writes")
      EXPECT_NE(v.detail.find("MODIFIED kafkaclusters"), std::string::npos) << v.detail;
}

TEST_F(flaws, alert_once_is_caught) {
  // addPvc decides from the KafkaCluster alone (a stale cache conflicts and decides again), so each act is
  // one spec change: a disk /kafka-extra-<n> more on broker 0. (resizePvc reads the PVC's size from the
  // cache: an act before the PVC grew edits nothing, and the flaw went unseen in 1 run of 7.)
  auto s = parsed(R"(
name: add-disk-alert
convergeWithin: 5m
topics:
  - {name: orders, partitions: 6, replicationFactor: 3, minInsyncReplicas: 2}
steps:
  - alert:
      labels: {alertname: DiskFull, brokerId: 0, kafka_cr: kafka, namespace: kafka}
      annotations: {command: addPvc, mountPathPrefix: /kafka-extra, diskSize: 2Gi}
      repeats: 3
  - waitConverged: 5m
)",
                  operator_flaw::alert_every_delivery);
  expect_caught(s, "alert-once");
  expect_passes(s);
}

TEST_F(flaws, cc_duplicate_is_caught) {
  // Slow moves keep the first add_broker task running while its twin is submitted: a duplicate is a new
  // task accepted while a task of the same request still runs.
  auto s = parsed(R"(
name: add-broker
convergeWithin: 5m
timing: {moveBytesPerSecond: 1Mi}
topics:
  - {name: orders, partitions: 12, replicationFactor: 2, minInsyncReplicas: 1, produceBytesPerSecond: 2Mi}
steps:
  - {wait: 20s}
  - addBrokers: [3]
  - waitConverged: 5m
)",
                  operator_flaw::duplicate_cc_operations);
  expect_caught(s, "cc-duplicate");
}

// The reproduction of a false verdict: a downScale alert makes the operator remove broker 1 from the spec
// itself; its PVC, deleted once drained, was reported as "deleted while in the spec" when the checker
// judged against the scenario's own idea of the spec instead of the stored KafkaCluster.
TEST_F(flaws, a_downscale_alert_removal_is_judged_against_the_stored_spec) {
  auto s = parsed(R"(
name: downscale-alert
convergeWithin: 5m
topics:
  - {name: orders, partitions: 12, replicationFactor: 2, minInsyncReplicas: 1, produceBytesPerSecond: 1Mi}
steps:
  - {wait: 30s}
  - alert:
      labels: {alertname: BrokerUnderused, kafka_cr: kafka, namespace: kafka, brokerId: 1}
      annotations: {command: downScale}
  - waitConverged: 5m
)",
                  operator_flaw::none);
  auto r = run_scenario(s, {});
  EXPECT_TRUE(r.passed) << all(r);
  EXPECT_TRUE(std::find(r.brokers.begin(), r.brokers.end(), 1) != r.brokers.end());
}
