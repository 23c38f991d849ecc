#include "model/broker_backup.hpp"

#include <gtest/gtest.h>

#include "model/render/desired_state.hpp"
#include "model/render/cluster_status.hpp"
#include "test_support.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

/// The sample without broker `id` in its spec.
kafka_cluster without(kafka_cluster c, int32_t id) {
  std::erase_if(c.spec.brokers, [&](const broker& b) { return b.id == id; });
  return c;
}

std::string rendered(const kafka_cluster& c, int32_t id) {
  auto r = render_broker(c, id);
  EXPECT_TRUE(r.is_ok()) << (r.is_ok() ? "" : r.error().message());
  return r.is_ok() ? to_text(*r) : "";
}

TEST(broker_backup, a_removed_broker_renders_again_exactly_as_before) {
  auto c = sample("simplekafkacluster.yaml");
  auto backups = broker_backups(c);
  ASSERT_EQ(backups.size(), c.spec.brokers.size());
  auto left = without(c, 1);
  field_errors errors;
  auto restored = with_restored_brokers(left, {{1, backups.at(1)}}, errors);
  EXPECT_TRUE(errors.empty()) << to_status(errors).message();
  EXPECT_EQ(rendered(restored, 1), rendered(c, 1)) << "same objects, same revision: the drain restarts nothing";
  EXPECT_EQ(rendered(restored, 0), rendered(c, 0));
  EXPECT_EQ(broker_backups(c), backups) << "the same spec gives the same text (no status churn)";
}

TEST(broker_backup, the_group_comes_from_the_backup_when_the_spec_dropped_it) {
  auto c = sample("simplekafkacluster.yaml");
  auto group = c.spec.brokers[1].broker_config_group;
  ASSERT_TRUE(group.has_value());
  auto backups = broker_backups(c);
  auto left = without(c, 1);
  for (auto& b : left.spec.brokers)
    b.broker_config_group.reset(), b.config = c.spec.broker_config_groups.at(*group);
  left.spec.broker_config_groups.erase(*group);
  field_errors errors;
  auto restored = with_restored_brokers(left, {{1, backups.at(1)}}, errors);
  EXPECT_TRUE(errors.empty()) << to_status(errors).message();
  EXPECT_EQ(rendered(restored, 1), rendered(c, 1));
}

TEST(broker_backup, an_unusable_backup_restores_nothing_and_names_its_field) {
  auto c = sample("simplekafkacluster.yaml");
  auto backups = broker_backups(c);
  auto left = without(without(c, 1), 2);
  field_errors errors;
  auto restored = with_restored_brokers(left,
                                        {{1, "H4sIAAAAAAAA/6pWKkktLlGyUoIxlGoBAAAA//8="}, // Koperator's gzip+base64 form
                                         {2, backups.at(1)}},                       // broker 1's backup under id 2
                                        errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "status.brokersState.1.configurationBackup");
  EXPECT_NE(errors[0].message.find("not a kactor backup"), std::string::npos) << errors[0].message;
  EXPECT_EQ(errors[1].path, "status.brokersState.2.configurationBackup");
  EXPECT_NE(errors[1].message.find("broker.id"), std::string::npos) << errors[1].message;
  EXPECT_EQ(restored.spec.brokers.size(), left.spec.brokers.size());

  errors.clear();
  auto bad_type = nlohmann::json::parse(backups.at(1));
  bad_type["broker"]["brokerConfig"] = "not an object";
  with_restored_brokers(without(c, 1), {{1, bad_type.dump()}}, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("brokerConfig"), std::string::npos) << errors[0].message;
}

TEST(broker_backup, the_status_keeps_every_spec_brokers_backup_and_a_leaving_brokers_last_one) {
  auto c = sample("simplekafkacluster.yaml");
  status_inputs in;
  in.now = "2024-05-01T10:00:00Z";
  auto status = render_cluster_status(c, in, json{});
  auto backups = broker_backups(c);
  for (const auto& b : c.spec.brokers)
    EXPECT_EQ(status["brokersState"][std::to_string(b.id)].value("configurationBackup", ""), backups.at(b.id));
  auto left = without(c, 1);
  in.brokers[1].id = 1; // still reported: being drained
  auto later = render_cluster_status(left, in, status);
  EXPECT_EQ(later["brokersState"]["1"].value("configurationBackup", ""), backups.at(1));
}

} // namespace
