// The spec-edit actor end to end: intents become conflict-checked KafkaCluster edits, errors name the
// cluster and the field, concurrent edits all land, and a stopped operator answers at once.
#include "tests/actors/operator_fixture.hpp"

#include <future>
#include <set>

namespace kactor {
namespace {

using namespace kactor::testing;

model::spec_intent disk_intent(int32_t id, const std::string& mount) {
  model::spec_intent i;
  i.what = model::spec_intent::kind::add_disk;
  i.broker_id = id;
  i.new_disk = {mount, "1Gi", ""};
  return i;
}

model::spec_intent removal(int32_t id) {
  model::spec_intent i;
  i.what = model::spec_intent::kind::remove_broker;
  i.broker_id = id;
  return i;
}

using SpecEdits = Operator;

TEST_F(SpecEdits, ErrorsNameTheClusterAndTheFieldAndLeaveTheCrAsItWas) {
  start_operator();
  create_cluster();
  auto before = cr()["spec"];
  EXPECT_EQ(op->edit_spec(ns, "nope", removal(1)).get().message(), "no KafkaCluster " + ns + "/nope");
  EXPECT_EQ(op->edit_spec(ns, "kafka", removal(7)).get().message(), ns + "/kafka: spec.brokers: no broker with id 7");
  EXPECT_EQ(op->edit_spec(ns, "kafka", disk_intent(7, "/d")).get().message(), ns + "/kafka: spec.brokers: no broker with id 7");
  EXPECT_EQ(cr()["spec"], before);
}

TEST_F(SpecEdits, ConcurrentEditsAllLandThroughConflicts) {
  start_operator();
  create_cluster();
  std::vector<std::future<model::status>> answers;
  for (int i = 0; i < 4; ++i)
    answers.push_back(op->edit_spec(ns, "kafka", disk_intent(1, "/extra-" + std::to_string(i))));
  for (auto& a : answers) {
    auto st = a.get();
    EXPECT_TRUE(st.is_ok()) << st.message();
  }
  auto disks = cr()["spec"]["brokers"][1]["brokerConfig"]["storageConfigs"];
  std::set<std::string> mounts;
  for (const auto& d : disks)
    mounts.insert(d.value("mountPath", ""));
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(mounts.count("/extra-" + std::to_string(i))) << disks.dump();
  EXPECT_EQ(op->edit_spec(ns, "kafka", disk_intent(1, "/extra-0")).get().message(),
            ns + "/kafka: spec.brokers[1].brokerConfig.storageConfigs: broker 1 already has a disk at /extra-0");
}

TEST_F(SpecEdits, AStoppedOperatorAnswersAtOnce) {
  start_operator();
  op->stop();
  EXPECT_EQ(op->edit_spec(ns, "kafka", removal(1)).get().message(), "the operator is stopped");
}

} // namespace
} // namespace kactor
