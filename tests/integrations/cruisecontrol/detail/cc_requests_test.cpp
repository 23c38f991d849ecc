// What the client sends, checked without a socket: endpoint URLs, each call's method and parameters.
#include "integrations/cruisecontrol/detail/cc_requests.hpp"

#include <gtest/gtest.h>

namespace kactor::integrations::cruisecontrol::detail {
namespace {

TEST(CcRequests, ParsesEndpointUrls) {
  auto plain = parse_endpoint("http://cruisecontrol-svc.kafka.svc:8090", "/kafkacruisecontrol");
  ASSERT_TRUE(plain.is_ok());
  EXPECT_FALSE(plain.value().tls);
  EXPECT_EQ(plain.value().host, "cruisecontrol-svc.kafka.svc");
  EXPECT_EQ(plain.value().port, 8090);
  EXPECT_EQ(plain.value().base_path, "/kafkacruisecontrol");

  auto with_path = parse_endpoint("https://cc.example:9090/kafkacruisecontrol/", "/ignored");
  ASSERT_TRUE(with_path.is_ok());
  EXPECT_TRUE(with_path.value().tls);
  EXPECT_EQ(with_path.value().base_path, "/kafkacruisecontrol");

  auto defaults = parse_endpoint("https://cc.example", "custom/");
  ASSERT_TRUE(defaults.is_ok());
  EXPECT_EQ(defaults.value().port, 443);
  EXPECT_EQ(defaults.value().base_path, "/custom");

  auto v6 = parse_endpoint("http://[::1]:8090", "/kafkacruisecontrol");
  ASSERT_TRUE(v6.is_ok());
  EXPECT_EQ(v6.value().host, "::1");
  EXPECT_EQ(v6.value().port, 8090);

  EXPECT_FALSE(parse_endpoint("ftp://cc:21", "/").is_ok());
  EXPECT_FALSE(parse_endpoint("http://:8090", "/").is_ok());
  EXPECT_FALSE(parse_endpoint("http://cc:99999", "/").is_ok());
  EXPECT_FALSE(parse_endpoint("http://cc:80x", "/").is_ok());
  EXPECT_FALSE(parse_endpoint("cc:8090", "/").is_ok());
}

TEST(CcRequests, ReadEndpoints) {
  const std::string base = "/kafkacruisecontrol";
  EXPECT_EQ(state_request().target(base),
            "/kafkacruisecontrol/state?json=true&substates=executor,monitor,analyzer,anomaly_detector");
  EXPECT_EQ(kafka_cluster_state_request().target(base), "/kafkacruisecontrol/kafka_cluster_state?json=true");
  EXPECT_EQ(load_request().target(base), "/kafkacruisecontrol/load?json=true&populate_disk_info=true");
  EXPECT_EQ(user_tasks_request({}).target(base), "/kafkacruisecontrol/user_tasks?json=true&fetch_completed_task=true");
  EXPECT_EQ(user_tasks_request({"a", "b"}).target(base),
            "/kafkacruisecontrol/user_tasks?json=true&fetch_completed_task=true&user_task_ids=a,b");
  EXPECT_EQ(state_request().method, "GET");
}

TEST(CcRequests, Operations) {
  const std::string base = "/kafkacruisecontrol";
  operation_options o;
  auto add = add_broker_request({3, 4}, o);
  ASSERT_TRUE(add.is_ok());
  EXPECT_EQ(add.value().method, "POST");
  EXPECT_EQ(add.value().target(base),
            "/kafkacruisecontrol/add_broker?json=true&dryrun=false&brokerid=3,4&skip_hard_goal_check=false");

  o.exclude_recently_demoted_brokers = true;
  o.exclude_recently_removed_brokers = false;
  o.user_task_id = "5e8b0c2e";
  auto remove = remove_broker_request({2}, o);
  ASSERT_TRUE(remove.is_ok());
  EXPECT_EQ(remove.value().target(base),
            "/kafkacruisecontrol/remove_broker?json=true&dryrun=false&brokerid=2&skip_hard_goal_check=false"
            "&exclude_recently_demoted_brokers=true&exclude_recently_removed_brokers=false");
  EXPECT_EQ(remove.value().user_task_id, "5e8b0c2e");

  auto all = rebalance_request({}, false, {});
  EXPECT_EQ(all.value().target(base),
            "/kafkacruisecontrol/rebalance?json=true&dryrun=false&rebalance_disk=false&skip_hard_goal_check=false");
  operation_options dry;
  dry.dry_run = true;
  auto some = rebalance_request({1, 2}, true, dry);
  EXPECT_EQ(some.value().target(base), "/kafkacruisecontrol/rebalance?json=true&dryrun=true&destination_broker_ids=1,2"
                                       "&rebalance_disk=true&skip_hard_goal_check=false");

  auto disks = remove_disks_request({{1, {"/a", "/b"}}, {0, {"/var/lib/kafka data"}}}, {});
  ASSERT_TRUE(disks.is_ok());
  EXPECT_EQ(disks.value().target(base), "/kafkacruisecontrol/remove_disks?json=true&dryrun=false"
                                        "&brokerid_and_logdirs=0-/var/lib/kafka%20data,1-/a,1-/b");

  operation_options demoted;
  demoted.exclude_recently_demoted_brokers = false;
  demoted.exclude_recently_removed_brokers = true; // demote_broker does not take it
  EXPECT_EQ(demote_broker_request({5}, demoted).value().target(base),
            "/kafkacruisecontrol/demote_broker?json=true&dryrun=false&brokerid=5"
            "&exclude_recently_demoted_brokers=false");
  EXPECT_EQ(stop_proposal_execution_request().target(base), "/kafkacruisecontrol/stop_proposal_execution?json=true");
}

TEST(CcRequests, RefusesWhatCcCannotTake) {
  EXPECT_TRUE(add_broker_request({}, {}).is(cc_error::kind::bad_request));
  EXPECT_TRUE(remove_broker_request({}, {}).is(cc_error::kind::bad_request));
  EXPECT_TRUE(demote_broker_request({}, {}).is(cc_error::kind::bad_request));
  EXPECT_TRUE(remove_disks_request({}, {}).is(cc_error::kind::bad_request));
  EXPECT_TRUE(remove_disks_request({{1, {}}}, {}).is(cc_error::kind::bad_request));
  auto comma = remove_disks_request({{1, {"/a,b"}}}, {});
  ASSERT_TRUE(comma.is(cc_error::kind::bad_request));
  EXPECT_NE(comma.error().message.find("/a,b"), std::string::npos);
}

TEST(CcRequests, Base64) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("admin:s3cret"), "YWRtaW46czNjcmV0");
}

} // namespace
} // namespace kactor::integrations::cruisecontrol::detail
