// The scenario runner against the whole simulated world: a safe roll passes; an operator that rolls two
// brokers at once ignoring min.insync.replicas (the test-only switch) fails with the violation named in
// the report; the same seed gives the same faults and the same verdict.
#include "sim/scenario/scenario_runner.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "sim/scenario/report.hpp"

using namespace kactor::sim;

namespace {

// Whole simulations judge the operator against scaled time; under a sanitizer the operator is several
// times slower while simulated time is not, so there they run at 10× instead of 200× (the roll timeout,
// 300 s simulated, is then 30 s of wall time instead of 1.5 s).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr double test_scale = 10;
#else
constexpr double test_scale = 200;
#endif

scenario roll_scenario() {
  auto s = parse_scenario(R"(
name: roll
scale: 200
topics:
  - {name: orders, partitions: 6, replicationFactor: 3, minInsyncReplicas: 2}
steps:
  - readOnlyConfig: "num.network.threads=5"
  - waitConverged: 10m
)");
  EXPECT_TRUE(s.is_ok()) << s.error().message();
  auto out = s.value();
  out.scale = test_scale;
  return out;
}

} // namespace

TEST(scenario_runner, a_safe_roll_passes_every_invariant) {
  auto r = run_scenario(roll_scenario(), {});
  for (const auto& v : r.violations)
    ADD_FAILURE() << v.invariant << ": " << v.detail;
  for (const auto& st : r.steps)
    EXPECT_TRUE(st.ok) << st.name << ": " << st.problem;
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.brokers, (std::vector<int32_t>{0, 1, 2}));
  // Every broker was restarted once by the roll (after the creation).
  EXPECT_EQ(std::count_if(r.restarts.begin(), r.restarts.end(), [](const auto& x) { return x.cause == "operator"; }),
            3);
  EXPECT_GT(r.counters.at("kafka_states_checked"), 10);
  EXPECT_GT(r.scale_reached, test_scale / 2);
}

TEST(scenario_runner, the_checker_catches_an_operator_that_rolls_unsafely) {
  auto s = roll_scenario();
  s.flaw = kactor::model::operator_flaw::roll_two_at_once;
  auto r = run_scenario(s, {});
  EXPECT_FALSE(r.passed);
  auto it
      = std::find_if(r.violations.begin(), r.violations.end(), [](const auto& v) { return v.invariant == "min-isr"; });
  ASSERT_NE(it, r.violations.end());
  EXPECT_NE(it->detail.find("below min.insync.replicas"), std::string::npos) << it->detail;

  auto dir = std::filesystem::temp_directory_path() / ("kactor-runner-test-" + std::to_string(::getpid()));
  ASSERT_TRUE(write_report(dir.string(), r).is_ok());
  std::ifstream in(dir / "report.json");
  std::string json((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(json.find("min-isr"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(scenario_runner, the_same_seed_gives_the_same_faults_and_verdict) {
  auto s = parse_scenario(R"(
name: chaos
scale: 200
topics:
  - {name: orders, partitions: 6, replicationFactor: 3, minInsyncReplicas: 2}
steps:
  - wait: 2m
  - waitConverged: 10m
randomFaults: {kinds: [ccRestart, apiErrors, watchDrop, ccDown], count: 3, from: 0s, to: 90s}
)");
  ASSERT_TRUE(s.is_ok()) << s.error().message();
  auto chaos = s.value();
  chaos.scale = test_scale;
  runner_options o;
  o.seed = 42;
  auto a = run_scenario(chaos, o);
  auto b = run_scenario(chaos, o);
  ASSERT_EQ(a.faults.size(), b.faults.size());
  for (size_t i = 0; i < a.faults.size(); ++i) {
    EXPECT_EQ(a.faults[i].kind, b.faults[i].kind);
    EXPECT_EQ(a.faults[i].target, b.faults[i].target);
  }
  EXPECT_EQ(a.passed, b.passed);
  for (const auto& v : a.violations)
    ADD_FAILURE() << v.invariant << ": " << v.detail;
}
