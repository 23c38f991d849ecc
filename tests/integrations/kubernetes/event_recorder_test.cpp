#include "integrations/kubernetes/event_recorder.hpp"

#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace kactor::integrations::kubernetes;
using namespace kactor::integrations::kubernetes::testing;
using namespace std::chrono_literals;

namespace {

const object_reference k_pod{"v1", "Pod", "default", "kafka-0", "uid-kafka-0"};

/// The Events in `ns`, or an empty array (and a test failure) when the list fails.
json events_in(kube_client& client, const std::string& ns) {
  auto list = client.list_sync(resources::events(), ns);
  EXPECT_TRUE(list.is_ok()) << (list.is_ok() ? "" : list.error().to_string());
  return list.is_ok() ? list.value()["items"] : json::array();
}

/// Waits until `ns` holds exactly `n` Events.
bool has_events(kube_client& client, const std::string& ns, size_t n) {
  return eventually([&] { return events_in(client, ns).size() == n; }, 5s);
}

using fixture = kactor::integrations::kubernetes::testing::api_test;

} // namespace

using EventRecorder = fixture;

TEST_F(EventRecorder, one_record_creates_one_event_with_every_field) {
  event_recorder rec(client, "kactor");
  rec.normal(k_pod, "Created", "created pod kafka-0");
  ASSERT_TRUE(has_events(*client, "default", 1));
  auto ev = events_in(*client, "default")[0];
  EXPECT_TRUE(std::regex_match(ev["metadata"]["name"].get<std::string>(), std::regex{R"(kafka-0\.[0-9a-f]{16})"}))
      << ev["metadata"]["name"];
  EXPECT_EQ(ev["metadata"]["namespace"], "default");
  EXPECT_EQ(ev["involvedObject"], json({{"apiVersion", "v1"},
                                        {"kind", "Pod"},
                                        {"namespace", "default"},
                                        {"name", "kafka-0"},
                                        {"uid", "uid-kafka-0"}}));
  EXPECT_EQ(ev["type"], "Normal");
  EXPECT_EQ(ev["reason"], "Created");
  EXPECT_EQ(ev["message"], "created pod kafka-0");
  EXPECT_EQ(ev["count"], 1);
  std::regex seconds{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"};
  EXPECT_TRUE(std::regex_match(ev["firstTimestamp"].get<std::string>(), seconds)) << ev["firstTimestamp"];
  EXPECT_EQ(ev["lastTimestamp"], ev["firstTimestamp"]);
  EXPECT_EQ(ev["source"]["component"], "kactor");
  EXPECT_EQ(ev["reportingComponent"], "kactor");
  EXPECT_FALSE(ev["reportingInstance"].get<std::string>().empty());
  EXPECT_EQ(rec.written(), 1u);
  EXPECT_EQ(rec.last_error(), "");
}

TEST_F(EventRecorder, repeats_are_aggregated_into_one_event) {
  event_recorder rec(client, "kactor");
  for (int i = 0; i < 5; ++i)
    rec.warning(k_pod, "RestartFailed", "broker 0 did not come back");
  ASSERT_TRUE(eventually(
      [&] {
        auto items = events_in(*client, "default");
        return items.size() == 1 && items[0]["count"] == 5;
      },
      5s));
  auto ev = events_in(*client, "default")[0];
  EXPECT_EQ(ev["type"], "Warning");
  EXPECT_LE(ev["firstTimestamp"].get<std::string>(), ev["lastTimestamp"].get<std::string>());
  // Repeats while the create was in flight were sent together: fewer writes than occurrences is fine.
  EXPECT_LE(rec.written(), 5u);
  EXPECT_GE(rec.written(), 2u);
  EXPECT_EQ(client->metrics().count("create"), 1u);
  EXPECT_EQ(rec.last_error(), "");
}

TEST_F(EventRecorder, different_messages_make_different_events) {
  event_recorder rec(client, "kactor");
  rec.normal(k_pod, "ConfigChanged", "log.retention.hours=24");
  rec.normal(k_pod, "ConfigChanged", "log.retention.hours=48");
  ASSERT_TRUE(has_events(*client, "default", 2));
  auto items = events_in(*client, "default");
  EXPECT_NE(items[0]["metadata"]["name"], items[1]["metadata"]["name"]);
  EXPECT_NE(items[0]["message"], items[1]["message"]);
}

TEST_F(EventRecorder, warnings_are_recorded_as_warning) {
  event_recorder rec(client, "kactor");
  rec.warning(k_pod, "DiskFull", "/kafka-logs is 95% full");
  ASSERT_TRUE(has_events(*client, "default", 1));
  auto ev = events_in(*client, "default")[0];
  EXPECT_EQ(ev["type"], "Warning");
  EXPECT_EQ(ev["reason"], "DiskFull");
}

TEST_F(EventRecorder, events_live_in_the_involved_objects_namespace) {
  auto ns = client->create_sync(resources::namespaces(), "",
                                {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "kafka"}}}});
  ASSERT_TRUE(ns.is_ok()) << ns.error().to_string();
  event_recorder rec(client, "kactor");
  rec.normal({"kafka.banzaicloud.io/v1beta1", "KafkaCluster", "kafka", "kafka", "uid-kc"}, "Reconciled", "ok");
  rec.normal({"v1", "Node", "", "node-1", "uid-node"}, "BrokerPlaced", "kafka-0 runs here");
  ASSERT_TRUE(has_events(*client, "kafka", 1));
  EXPECT_EQ(events_in(*client, "kafka")[0]["involvedObject"]["kind"], "KafkaCluster");
  // A cluster-scoped object's events go to "default", as kubectl describe node looks for them there.
  ASSERT_TRUE(has_events(*client, "default", 1));
  auto node_ev = events_in(*client, "default")[0];
  EXPECT_EQ(node_ev["involvedObject"]["name"], "node-1");
  EXPECT_FALSE(node_ev["involvedObject"].contains("namespace"));
}

TEST_F(EventRecorder, long_messages_are_cut_to_1024_bytes) {
  event_recorder rec(client, "kactor");
  rec.warning(k_pod, "Failed", std::string(3000, 'x'));
  ASSERT_TRUE(has_events(*client, "default", 1));
  EXPECT_EQ(events_in(*client, "default")[0]["message"].get<std::string>(), std::string(1024, 'x'));
}

TEST_F(EventRecorder, an_expired_event_is_created_again) {
  event_recorder rec(client, "kactor");
  rec.normal(k_pod, "Restarted", "rolling restart");
  ASSERT_TRUE(has_events(*client, "default", 1));
  auto name = events_in(*client, "default")[0]["metadata"]["name"].get<std::string>();
  ASSERT_TRUE(client->remove_sync(resources::events(), "default", name).is_ok());
  rec.normal(k_pod, "Restarted", "rolling restart");
  ASSERT_TRUE(eventually(
      [&] {
        auto items = events_in(*client, "default");
        return items.size() == 1 && items[0]["count"] == 2;
      },
      5s));
  EXPECT_EQ(rec.last_error(), "");
}

TEST_F(EventRecorder, failures_are_reported_and_not_retried_forever) {
  server->set_api_faults({kactor::sim::api_fault_rule{"create", "events", "", 1.0, 500}});
  event_recorder rec(client, "kactor");
  rec.normal(k_pod, "Created", "created pod kafka-0");
  ASSERT_TRUE(eventually([&] { return !rec.last_error().empty(); }, 5s));
  EXPECT_NE(rec.last_error().find("500"), std::string::npos) << rec.last_error();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(client->metrics().count("create"), 1u); // a POST is never repeated
  EXPECT_EQ(rec.written(), 0u);
  // Once the server accepts writes again, the next occurrence records both.
  server->set_api_faults({});
  rec.normal(k_pod, "Created", "created pod kafka-0");
  ASSERT_TRUE(eventually(
      [&] {
        auto items = events_in(*client, "default");
        return items.size() == 1 && items[0]["count"] == 2;
      },
      5s));
}
