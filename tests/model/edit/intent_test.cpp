#include "model/edit/intent.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;
using nlohmann::json;

namespace {

json intent_spec() { return json::parse(R"({"brokers": [{"id": 0}, {"id": 1}]})"); }

spec_intent removal(int32_t id, bool keep_one = true) {
  spec_intent i;
  i.what = spec_intent::kind::remove_broker;
  i.broker_id = id;
  i.keep_one_broker = keep_one;
  return i;
}

} // namespace

TEST(edit_intent, remove_broker_refuses_the_last_one_unless_told_not_to) {
  auto sp = intent_spec();
  ASSERT_TRUE(apply_intent(sp, removal(0)).is_ok());
  auto before = sp;
  EXPECT_EQ(apply_intent(sp, removal(1)).message(), "spec.brokers: broker 1 is the last broker");
  EXPECT_EQ(apply_intent(sp, removal(7)).message(), "spec.brokers: no broker with id 7") << "unknown before last";
  EXPECT_EQ(sp, before);
  ASSERT_TRUE(apply_intent(sp, removal(1, false)).is_ok());
  EXPECT_TRUE(sp["brokers"].empty());
}

TEST(edit_intent, add_disk_and_set_env_go_through_model_edit) {
  auto sp = intent_spec();
  spec_intent disk_intent;
  disk_intent.what = spec_intent::kind::add_disk;
  disk_intent.broker_id = 1;
  disk_intent.new_disk = {"/d", "1Gi", ""};
  ASSERT_TRUE(apply_intent(sp, disk_intent).is_ok());
  EXPECT_EQ(sp["brokers"][1]["brokerConfig"]["storageConfigs"][0], storage_config_of({"/d", "1Gi", ""}));
  EXPECT_EQ(apply_intent(sp, disk_intent).kind(), status_kind::invalid) << "the same disk twice";
  spec_intent env;
  env.what = spec_intent::kind::set_env;
  env.env_name = "X";
  env.env_value = "1";
  ASSERT_TRUE(apply_intent(sp, env).is_ok());
  EXPECT_EQ(sp["envs"], json::parse(R"([{"name": "X", "value": "1"}])"));
  EXPECT_STREQ(to_string(spec_intent::kind::set_env), "set_env");
}
