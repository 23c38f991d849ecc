#include "sim/world/api_server/api_faults.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;

TEST(api_faults, rules_match_by_verb_resource_and_name) {
  api_faults f{7};
  ASSERT_EQ(f.set_from_json({{"rules", {{{"verb", "update"}, {"resource", "pods"}, {"name", "kafka-1*"}, {"code", 500}}}}}),
            "");
  EXPECT_EQ(f.decide("update", "pods", "kafka-1").code, 500);
  EXPECT_EQ(f.decide("update", "pods", "kafka-0").code, 0);
  EXPECT_EQ(f.decide("get", "pods", "kafka-1").code, 0);
  EXPECT_EQ(f.decide("update", "configmaps", "kafka-1").code, 0);
}

TEST(api_faults, a_rule_can_cut_off_one_client_by_user_agent) {
  api_faults f{7};
  ASSERT_EQ(f.set_from_json({{"rules", {{{"userAgent", "kactor"}, {"code", 503}}}}}), "");
  EXPECT_EQ(f.decide("get", "pods", "kafka-1", "kactor").code, 503);
  EXPECT_EQ(f.decide("get", "pods", "kafka-1", "kubectl").code, 0);
  EXPECT_EQ(f.decide("get", "pods", "kafka-1").code, 0);
}

TEST(api_faults, rate_is_reproducible_for_a_seed) {
  auto run = [](uint64_t seed) {
    api_faults f{seed};
    f.set({{"", "", "", 0.3, 500, 0, false}});
    std::string pattern;
    for (int i = 0; i < 200; ++i)
      pattern += f.decide("get", "pods", "x").code ? '1' : '0';
    return pattern;
  };
  EXPECT_EQ(run(42), run(42));
  auto pattern = run(42);
  auto hits = std::count(pattern.begin(), pattern.end(), '1');
  EXPECT_GT(hits, 30);
  EXPECT_LT(hits, 90);
}

TEST(api_faults, bad_rules_name_the_field) {
  api_faults f{1};
  EXPECT_EQ(f.set_from_json({{"rules", {{{"rate", 2}}}}}), "rules[0].rate: must be between 0 and 1");
  EXPECT_EQ(f.set_from_json({{"rules", {{{"code", 200}}}}}), "rules[0].code: must be an HTTP error status (400-599)");
  EXPECT_NE(f.set_from_json({{"rules", {{{"verb", 3}}}}}).find("rules[0]"), std::string::npos);
  EXPECT_EQ(request_verb("GET", false, true), "watch");
  EXPECT_EQ(request_verb("DELETE", false, false), "deletecollection");
}
