#include "model/diff/dynamic_config.hpp"

#include <gtest/gtest.h>

#include "tests/model/test_support.hpp"

using namespace kactor::model;

TEST(dynamic_config, broker_config_plus_rendered_per_broker_keys) {
  auto yaml = std::string{kactor::testing::base_cluster_yaml};
  yaml.replace(yaml.find("    - id: 1\n      brokerConfigGroup: default"), 44,
               "    - id: 1\n      brokerConfigGroup: default\n      brokerConfig:\n        config: |\n          num.io.threads=16");
  yaml += "  clusterWideConfig: |\n    log.retention.ms=1000\n";
  auto c = kactor::testing::cluster_from_yaml(yaml);
  auto d = desired_broker_dynamic_config(c, 1);
  ASSERT_TRUE(d.is_ok()) << d.error().message();
  EXPECT_EQ(d.value().at("num.io.threads"), "16");
  EXPECT_TRUE(d.value().contains("listeners"));
  EXPECT_TRUE(d.value().contains("advertised.listeners"));
  EXPECT_FALSE(desired_broker_dynamic_config(c, 0).value().contains("num.io.threads"));
  EXPECT_EQ(desired_cluster_wide_config(c).value(), (properties{{"log.retention.ms", "1000"}}));
  EXPECT_EQ(desired_broker_dynamic_config(c, 7).error().kind(), status_kind::not_found);
}

TEST(dynamic_config, sets_what_differs_and_removes_what_the_spec_dropped) {
  observed_config o;
  o.effective = {{"num.io.threads", "8"}, {"listeners", "INTERNAL://:29092"}, {"log.retention.ms", "5"}, {"ssl.key.password", std::nullopt}};
  o.own = {"log.retention.ms", "ssl.key.password"};
  auto change = plan_dynamic_config({{"num.io.threads", "16"}, {"listeners", "INTERNAL://:29092"}, {"ssl.key.password", "s"}}, o);
  EXPECT_EQ(change.set, (std::map<std::string, std::string>{{"num.io.threads", "16"}}));
  EXPECT_EQ(change.remove, std::vector<std::string>{"log.retention.ms"});
  EXPECT_EQ(change.to_string(), "set num.io.threads=16; remove log.retention.ms");
  o.own.erase("ssl.key.password"); // hidden and not ours yet: set once
  EXPECT_TRUE(plan_dynamic_config({{"ssl.key.password", "s"}}, o).set.contains("ssl.key.password"));
  o = {};
  EXPECT_TRUE(plan_dynamic_config({}, o).empty());
}
