// The alert actor end to end: alerts POSTed to the operator's receiver become KafkaCluster edits, once.
#include "tests/actors/operator_fixture.hpp"

#include "integrations/http/client.hpp"
#include "model/alerts/alert_action.hpp"

namespace kactor {
namespace {

using namespace kactor::testing;

class Alerts : public Operator {
protected:
  Alerts() {
    integrations::alertmanager::receiver_options ro;
    ro.address = "127.0.0.1";
    ro.port = 0;
    ro.requests_per_second = 1e6; // a thousand posts at once: the rate limit has its own test
    operator_options.alerts = ro;
    operator_options.settings.alert_cooldown = std::chrono::seconds{0};
    operator_options.settings.alert_recheck = 200ms;
  }

  int post(const json& body) {
    auto c = integrations::http::make_blocking_client({"127.0.0.1", op->alerts_port()});
    auto r = c->send("POST", "/", body.dump(), {{"content-type", "application/json"}});
    return r.is_ok() ? r.value().status : -1;
  }

  size_t pvcs_of(int broker) { return count(k8s::resources::persistent_volume_claims(), "app=kafka,brokerId=" + std::to_string(broker)); }

  json disk_alert() {
    return {{"version", "4"},
            {"alerts",
             {{{"status", "firing"},
               {"labels", {{"alertname", "KafkaLogDirSpaceLow"}, {"kafka_cr", "kafka"}, {"namespace", ns}, {"brokerId", "1"}}},
               {"annotations", {{"command", "addPvc"}, {"mountPathPrefix", "/kafka-logs-extra"}, {"diskSize", "10Gi"}}},
               {"startsAt", "2026-03-01T10:15:30Z"},
               {"endsAt", "0001-01-01T00:00:00Z"},
               {"fingerprint", "aa1a0e4a062aa3f1"}}}}};
  }
};

TEST_F(Alerts, AThousandRepeatsActOnceAndARestartedOperatorActsNoMore) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); })) << dump();
  auto before = pvcs_of(1);
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(post(disk_alert()), 202);
  ASSERT_TRUE(eventually([&] { return pvcs_of(1) == before + 1 && converged(); })) << dump();
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(pvcs_of(1), before + 1);
  EXPECT_EQ(pvcs_of(0), before);
  EXPECT_EQ(pvcs_of(2), before);
  EXPECT_EQ(cr()["spec"]["brokers"][1]["brokerConfig"]["storageConfigs"].size(), 1u);
  EXPECT_NE(cr()["metadata"]["annotations"].value(model::alerts_acted_on_annotation, "").find("aa1a0e4a062aa3f1"), std::string::npos);

  // A new operator (no memory of the alert) gets the same alert again: the CR says it was acted on.
  op->stop();
  op.reset();
  start_operator();
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(post(disk_alert()), 202);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(pvcs_of(1), before + 1);
  EXPECT_EQ(cr()["spec"]["brokers"][1]["brokerConfig"]["storageConfigs"].size(), 1u);
  // Resolved, then firing anew (a new startsAt): a new occurrence, acted on.
  auto resolved = disk_alert();
  resolved["alerts"][0]["status"] = "resolved";
  ASSERT_EQ(post(resolved), 202);
  auto again = disk_alert();
  again["alerts"][0]["startsAt"] = "2026-03-01T11:00:00Z";
  ASSERT_EQ(post(again), 202);
  ASSERT_TRUE(eventually([&] { return pvcs_of(1) == before + 2; })) << dump();
}

TEST_F(Alerts, RollingUpgradeAlertsCountIntoTheErrorCount) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); })) << dump();
  json body = json::array({{{"labels", {{"alertname", "BrokerDown"}, {"kafka_cr", "kafka"}, {"namespace", ns}, {"rollingupgrade", "true"}}},
                            {"startsAt", "2026-03-01T10:15:30Z"}}});
  ASSERT_EQ(post(body), 202);
  ASSERT_TRUE(eventually([&] {
    return cr()["status"].value("/rollingUpgradeStatus/errorCount"_json_pointer, json(0)) == 1
           && cr()["status"].value("alertCount", 0) == 1;
  })) << dump();
  body[0]["endsAt"] = "2026-03-01T10:16:00Z"; // ended: resolved
  ASSERT_EQ(post(body), 202);
  ASSERT_TRUE(eventually([&] { return cr()["status"].value("/rollingUpgradeStatus/errorCount"_json_pointer, json(1)) == 0; })) << dump();
}

// Found under ASan load: an alert resolved while the write of its counts was still in flight left
// errorCount at 1 for good (no alert fired any more, so nothing decided that cluster again).
TEST_F(Alerts, AnAlertResolvedWhileItsCountIsBeingWrittenStillTakesTheCountDown) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); })) << dump();
  plane->api().set_api_faults({sim::api_fault_rule{"update", "kafkaclusters", "", 1.0, 0, 1000}}); // 1 s late
  json body = json::array({{{"labels", {{"alertname", "BrokerDown"}, {"kafka_cr", "kafka"}, {"namespace", ns}, {"rollingupgrade", "true"}}},
                            {"startsAt", "2026-03-01T10:15:30Z"}}});
  ASSERT_EQ(post(body), 202);
  std::this_thread::sleep_for(200ms); // the counts' write is out, answered in 1 s
  body[0]["endsAt"] = "2026-03-01T10:16:00Z";
  ASSERT_EQ(post(body), 202);
  ASSERT_TRUE(eventually([&] {
    auto st = cr()["status"];
    return st.value("/rollingUpgradeStatus/errorCount"_json_pointer, json(-1)) == 0 && st.value("alertCount", -1) == 0;
  })) << dump();
}

TEST_F(Alerts, AtMostTheCapOfFiringAlertsIsTrackedOldestDroppedFirst) {
  operator_options.settings.alert_firing_cap = 3;
  start_operator();
  json body = json::array();
  for (int i = 0; i < 5; ++i) // no command: tracked while firing, never acted on
    body.push_back({{"labels", {{"alertname", "Noise" + std::to_string(i)}, {"kafka_cr", "kafka"}, {"namespace", ns}}},
                    {"startsAt", "2026-03-01T10:0" + std::to_string(i) + ":00Z"}});
  ASSERT_EQ(post(body), 202);
  ASSERT_TRUE(eventually([&] {
    return op->kube().metrics->prometheus_text().find("kactor_alerts_dropped_total 2\n") != std::string::npos;
  })) << op->kube().metrics->prometheus_text();
}

TEST_F(Alerts, CrashedTopLevelActorsAreRespawnedAndKeepWorking) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); })) << dump();
  auto before = pvcs_of(1);
  op->inject_top_crash("alerts");
  op->inject_top_crash("operator");
  std::this_thread::sleep_for(500ms); // past the respawn delay
  ASSERT_EQ(post(disk_alert()), 202);
  ASSERT_TRUE(eventually([&] { return pvcs_of(1) == before + 1 && converged(); })) << "the respawned alert actor acts\n" << dump();
  auto uid = pod_uids()["kafka-0"];
  k8s::delete_options now;
  now.grace_period_seconds = 0;
  ASSERT_TRUE(client->remove_sync(k8s::resources::pods(), ns, "kafka-0", now).is_ok());
  ASSERT_TRUE(eventually([&] { auto now = pod_uids(); return now.count("kafka-0") && now["kafka-0"] != uid && converged(); }))
      << "the respawned operator actor recreates a deleted pod\n" << dump();
  EXPECT_TRUE(op->health().is_ok()) << op->health().message();
}

TEST_F(Alerts, ASupervisorThatGivesUpFailsTheHealthCheck) {
  start_operator();
  for (int i = 0; i < 8 && op->health().is_ok(); ++i) { // a crash loop: more than 5 restarts within 60 s
    op->inject_top_crash("alerts");
    std::this_thread::sleep_for(800ms); // the respawn delay doubles per crash (50 ms at first)
  }
  ASSERT_TRUE(eventually([&] { return !op->health().is_ok(); }, 10s)) << "the supervisor gives up";
  EXPECT_NE(op->health().message().find("alert actor stopped 6 times within 60 s"), std::string::npos) << op->health().message();
}

} // namespace
} // namespace kactor
