// The alert payload parser on the recorded Alertmanager payloads and hand-made bad ones, and the receiver
// over loopback HTTP: status codes for every kind of bad request, and delivery of good ones.
#include "integrations/alertmanager/alert_receiver.hpp"

#include <fstream>
#include <mutex>
#include <sstream>

#include <gtest/gtest.h>

#include "integrations/http/client.hpp"

using namespace kactor::integrations;
using namespace kactor::integrations::alertmanager;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string{KACTOR_FIXTURES_DIR} + "/alertmanager/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string now = "2026-03-01T10:20:00Z";

} // namespace

TEST(alert_payload, parses_alertmanagers_webhook) {
  auto firing = parse_alerts(fixture("webhook-v4-firing.json"), now);
  ASSERT_TRUE(firing.is_ok()) << firing.error().message();
  ASSERT_EQ(firing.value().size(), 1u);
  const auto& a = firing.value()[0];
  EXPECT_TRUE(a.firing);
  EXPECT_EQ(a.labels.at("kafka_cr"), "kafka");
  EXPECT_EQ(a.annotations.at("command"), "upScale");
  EXPECT_EQ(a.fingerprint, "3f2a9c1d7b6e5a40");
  EXPECT_EQ(a.starts_at, "2026-03-01T10:15:30.123Z");
  auto resolved = parse_alerts(fixture("webhook-v4-resolved.json"), now);
  ASSERT_TRUE(resolved.is_ok());
  for (const auto& r : resolved.value())
    EXPECT_FALSE(r.firing);
}

TEST(alert_payload, parses_prometheus_alert_arrays_with_computed_fingerprints) {
  auto r = parse_alerts(R"([{"labels":{"alertname":"DiskLow","kafka_cr":"kafka"},"annotations":{"command":"addPvc"},
                            "startsAt":"2026-03-01T10:00:00Z","endsAt":"2026-03-01T10:30:00Z"},
                           {"labels":{"alertname":"Old"},"endsAt":"2026-03-01T10:00:00Z"}])", now);
  ASSERT_TRUE(r.is_ok()) << r.error().message();
  EXPECT_TRUE(r.value()[0].firing) << "endsAt in the future";
  EXPECT_FALSE(r.value()[1].firing) << "endsAt passed";
  // Prometheus's fingerprint of {alertname="DiskLow", kafka_cr="kafka"}: FNV-1a over sorted pairs.
  EXPECT_EQ(r.value()[0].fingerprint, fingerprint_of({{"alertname", "DiskLow"}, {"kafka_cr", "kafka"}}));
  EXPECT_NE(r.value()[0].fingerprint, r.value()[1].fingerprint);
  EXPECT_EQ(fingerprint_of({}), "cbf29ce484222325");
}

TEST(alert_payload, bad_payloads_name_the_field_or_byte) {
  EXPECT_EQ(parse_alerts(R"({"alerts":[{"labels":{"a":1}}]})", now).error().message(), "alerts[0].labels.a: expected a string");
  EXPECT_EQ(parse_alerts(R"({"version":"4"})", now).error().message(),
            "alerts: missing (expected Alertmanager's webhook or an array of alerts)");
  EXPECT_EQ(parse_alerts(R"([{"labels":{}}])", now).error().message(), "[0].labels: an alert needs labels");
  EXPECT_EQ(parse_alerts(R"([{"labels":{"a":"b"},"status":"pending"}])", now).error().message(),
            "[0].status: \"pending\" is neither firing nor resolved");
  auto bad = parse_alerts(R"({"alerts": [)", now);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.error().message().find("at byte 13"), std::string::npos) << bad.error().message();
}

class receiver : public ::testing::Test {
protected:
  void SetUp() override {
    receiver_options o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.body_limit = 64 * 1024;
    o.bearer_token = "s3cret";
    auto r = alert_receiver::start(o, [this](std::vector<alert> a) {
      std::lock_guard lock(mutex);
      for (auto& x : a)
        got.push_back(std::move(x));
    });
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    rx = std::move(r.value());
    client = http::make_blocking_client({"127.0.0.1", rx->port()});
  }
  int post(const std::string& body, http::header_map headers = {{"content-type", "application/json"}, {"authorization", "Bearer s3cret"}},
           std::string* reply = nullptr, const std::string& path = "/") {
    auto r = client->send("POST", path, body, headers);
    if (!r.is_ok())
      return -1;
    if (reply)
      *reply = r.value().body;
    return r.value().status;
  }
  std::mutex mutex;
  std::vector<alert> got;
  std::unique_ptr<alert_receiver> rx;
  std::unique_ptr<http::blocking_client> client;
};

TEST_F(receiver, accepts_webhooks_on_any_path_and_refuses_bad_requests) {
  EXPECT_EQ(post(fixture("webhook-v4-firing.json")), 202);
  EXPECT_EQ(post(fixture("webhook-v4-firing.json"), {{"content-type", "application/json"}, {"authorization", "Bearer s3cret"}},
                 nullptr, "/api/v1/alerts"), 202);
  std::string reply;
  EXPECT_EQ(post(R"({"alerts": 3})", {{"content-type", "application/json"}, {"authorization", "Bearer s3cret"}}, &reply), 400);
  EXPECT_EQ(reply, "alerts: expected an array of alerts\n");
  EXPECT_EQ(post("{}", {{"content-type", "text/plain"}, {"authorization", "Bearer s3cret"}}), 415);
  EXPECT_EQ(post(fixture("webhook-v4-firing.json"), {{"content-type", "application/json"}}), 401);
  EXPECT_EQ(post(std::string(70 * 1024, ' ')), 413);
  auto get = client->send("GET", "/");
  ASSERT_TRUE(get.is_ok());
  EXPECT_EQ(get.value().status, 405);
  std::lock_guard lock(mutex);
  EXPECT_EQ(got.size(), 2u);
  EXPECT_EQ(rx->alerts_received(), 2u);
}
