#include "integrations/kafka/detail/rdkafka_admin_logic.hpp"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

namespace kactor::integrations::kafka::detail {
namespace {

using kind = admin_error::kind;

config_entry entry(std::string name, std::optional<std::string> value, config_source source,
                   bool sensitive = false) {
  return config_entry{std::move(name), std::move(value), source, false, sensitive};
}

config_op set(std::string name, std::string value) { return {config_op::kind::set, std::move(name), std::move(value)}; }
config_op remove(std::string name) { return {config_op::kind::remove, std::move(name), ""}; }

TEST(full_alter_set, keeps_only_the_resources_own_dynamic_configs_and_applies_the_ops_in_order) {
  std::vector<config_entry> described{
    entry("log.cleaner.threads", "2", config_source::dynamic_broker),
    entry("max.connections", "1000", config_source::dynamic_broker),
    entry("num.io.threads", "8", config_source::dynamic_default_broker), // cluster default: not this set
    entry("log.dirs", "/data", config_source::static_broker),
    entry("num.network.threads", "3", config_source::default_config),
  };
  auto r = full_alter_set(config_resource::broker(1), described,
                          {set("log.cleaner.threads", "4"), set("message.max.bytes", "2000000"),
                           remove("max.connections"), remove("not.set.anywhere"), remove("message.max.bytes"),
                           set("message.max.bytes", "3000000")});
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  std::map<std::string, std::string> want{{"log.cleaner.threads", "4"}, {"message.max.bytes", "3000000"}};
  EXPECT_EQ(r.value(), want);
}

TEST(full_alter_set, uses_the_topic_and_cluster_default_sources_for_those_resources) {
  std::vector<config_entry> described{entry("retention.ms", "1000", config_source::dynamic_topic),
                                      entry("num.io.threads", "8", config_source::dynamic_default_broker),
                                      entry("max.connections", "10", config_source::dynamic_broker)};
  auto topic = full_alter_set(config_resource::topic("orders"), described, {set("min.insync.replicas", "2")});
  ASSERT_TRUE(topic.is_ok());
  EXPECT_EQ(topic.value(), (std::map<std::string, std::string>{{"min.insync.replicas", "2"}, {"retention.ms", "1000"}}));
  auto def = full_alter_set(config_resource::cluster_default(), described, {});
  ASSERT_TRUE(def.is_ok());
  EXPECT_EQ(def.value(), (std::map<std::string, std::string>{{"num.io.threads", "8"}}));
}

TEST(full_alter_set, removing_the_last_dynamic_config_gives_an_empty_set) {
  auto r = full_alter_set(config_resource::topic("t"), {entry("retention.ms", "1", config_source::dynamic_topic)},
                          {remove("retention.ms")});
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r.value().empty());
}

TEST(full_alter_set, refuses_to_drop_a_kept_sensitive_config_whose_value_cannot_be_read) {
  std::vector<config_entry> described{
    entry("listener.name.internal.ssl.keystore.password", std::nullopt, config_source::dynamic_broker, true),
    entry("log.cleaner.threads", "2", config_source::dynamic_broker)};
  auto r = full_alter_set(config_resource::broker(2), described, {set("log.cleaner.threads", "3")});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().what, kind::other);
  EXPECT_NE(r.error().message.find("listener.name.internal.ssl.keystore.password"), std::string::npos);
  EXPECT_NE(r.error().message.find("broker 2"), std::string::npos);
}

TEST(full_alter_set, accepts_a_sensitive_config_the_ops_overwrite_or_remove) {
  std::vector<config_entry> described{entry("sasl.password", std::nullopt, config_source::dynamic_broker, true)};
  auto overwritten = full_alter_set(config_resource::broker(0), described, {set("sasl.password", "new")});
  ASSERT_TRUE(overwritten.is_ok());
  EXPECT_EQ(overwritten.value().at("sasl.password"), "new");
  auto removed = full_alter_set(config_resource::broker(0), described, {remove("sasl.password")});
  ASSERT_TRUE(removed.is_ok());
  EXPECT_TRUE(removed.value().empty());
}

TEST(full_alter_set, sensitive_configs_of_other_sources_do_not_matter) {
  std::vector<config_entry> described{entry("ssl.key.password", std::nullopt, config_source::static_broker, true)};
  EXPECT_TRUE(full_alter_set(config_resource::broker(0), described, {set("a", "b")}).is_ok());
}

TEST(full_alter_set, refuses_an_op_without_a_name) {
  auto r = full_alter_set(config_resource::topic("t"), {}, {set("", "1")});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().what, kind::invalid_config);
}

TEST(cluster_default_entries, reads_defaults_from_entries_and_from_synonyms_behind_broker_overrides) {
  std::vector<described_entry> broker{
    {entry("num.io.threads", "8", config_source::dynamic_default_broker), {}},
    {entry("log.cleaner.threads", "4", config_source::dynamic_broker),
     {entry("log.cleaner.threads", "4", config_source::dynamic_broker),
      entry("log.cleaner.threads", "2", config_source::dynamic_default_broker),
      entry("log.cleaner.threads", "1", config_source::default_config)}},
    {entry("log.retention.ms", "60000", config_source::dynamic_default_broker),
     {entry("log.retention.ms", "60000", config_source::dynamic_default_broker),
      entry("log.retention.hours", "168", config_source::default_config)}},
    {entry("log.retention.hours", "168", config_source::default_config), {}},
    {entry("log.dirs", "/data", config_source::static_broker), {}},
    {entry("sasl.password", std::nullopt, config_source::dynamic_broker, true),
     {entry("sasl.password", std::nullopt, config_source::dynamic_default_broker, true)}},
  };
  auto got = cluster_default_entries(broker);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].name, "log.cleaner.threads");
  EXPECT_EQ(got[0].value, "2");
  EXPECT_EQ(got[0].source, config_source::dynamic_default_broker);
  EXPECT_EQ(got[1].name, "log.retention.ms");
  EXPECT_EQ(got[2].name, "num.io.threads");
  EXPECT_EQ(got[3].name, "sasl.password");
  EXPECT_TRUE(got[3].sensitive);
  EXPECT_FALSE(got[3].value);
}

TEST(min_insync_replicas, reads_the_value_or_names_the_topic) {
  described_resource d{config_resource::topic("orders"), 0, "",
                       {{entry("min.insync.replicas", "2", config_source::dynamic_topic), {}}}};
  ASSERT_TRUE(min_insync_replicas(d).is_ok());
  EXPECT_EQ(min_insync_replicas(d).value(), 2);
  d.entries[0].entry.value = "two";
  ASSERT_FALSE(min_insync_replicas(d).is_ok());
  EXPECT_NE(min_insync_replicas(d).error().message.find("topic orders"), std::string::npos);
  d.entries.clear();
  EXPECT_FALSE(min_insync_replicas(d).is_ok());
}

TEST(parse_broker_id, accepts_non_negative_decimal_int32_only) {
  EXPECT_EQ(parse_broker_id("0"), 0);
  EXPECT_EQ(parse_broker_id("12"), 12);
  for (const char* bad : {"", "-1", "1a", "abc", " 1", "99999999999"})
    EXPECT_FALSE(parse_broker_id(bad)) << bad;
}

TEST(own_dynamic_source, follows_the_resource) {
  EXPECT_EQ(own_dynamic_source(config_resource::topic("t")), config_source::dynamic_topic);
  EXPECT_EQ(own_dynamic_source(config_resource::broker(3)), config_source::dynamic_broker);
  EXPECT_EQ(own_dynamic_source(config_resource::cluster_default()), config_source::dynamic_default_broker);
}

TEST(error_kind, maps_librdkafka_codes) {
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR__TRANSPORT), kind::unavailable);
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN), kind::unavailable);
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR__TIMED_OUT), kind::timeout);
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT), kind::timeout);
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR_INVALID_CONFIG), kind::invalid_config);
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR_INVALID_REQUEST), kind::invalid_config);
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR_POLICY_VIOLATION), kind::invalid_config);
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART), kind::not_found);
  EXPECT_EQ(error_kind(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE), kind::other);
  EXPECT_EQ(make_error(RD_KAFKA_RESP_ERR_INVALID_CONFIG, "x").message, "x");
}

TEST(is_internal_topic, is_kafkas_own_list) {
  EXPECT_TRUE(is_internal_topic("__consumer_offsets"));
  EXPECT_TRUE(is_internal_topic("__transaction_state"));
  EXPECT_FALSE(is_internal_topic("__strimzi_store_topic"));
  EXPECT_FALSE(is_internal_topic("orders"));
}

} // namespace
} // namespace kactor::integrations::kafka::detail
