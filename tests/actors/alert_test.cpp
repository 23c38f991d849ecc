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

} // namespace
} // namespace kactor
