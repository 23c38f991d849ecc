// The alert payload parser on the recorded Alertmanager payloads and hand-made bad ones, and the receiver
// over loopback HTTP: status codes for every kind of bad request, and delivery of good ones.
#include "integrations/alertmanager/alert_receiver.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <unistd.h>

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

// Found by fuzzing: nlohmann reports a number too large for a double as out_of_range 406, which escaped
// the parser's catch of parse_error and made the receiver answer 500.
TEST(alert_payload, a_number_out_of_range_is_a_parse_error_naming_the_number) {
  auto r = parse_alerts("6666E66666666", now);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().kind(), kactor::model::status_kind::parse_error);
  EXPECT_NE(r.error().message().find("6666E66666666"), std::string::npos) << r.error().message();
  auto nested = parse_alerts(R"({"alerts":[{"labels":{"a":"b"},"x":1E999}]})", now);
  ASSERT_FALSE(nested.is_ok());
  EXPECT_NE(nested.error().message().find("1E999"), std::string::npos) << nested.error().message();
}

TEST(alert_payload, labels_and_annotations_of_the_wrong_type_name_the_field) {
  EXPECT_EQ(parse_alerts(R"([{"labels":"a=b"}])", now).error().message(),
            "[0].labels: expected an object of strings, got string");
  EXPECT_EQ(parse_alerts(R"([{"labels":{"a":"b"},"annotations":[1]}])", now).error().message(),
            "[0].annotations: expected an object of strings, got array");
  auto odd = parse_alerts(R"([{"labels":{"a":"b"},"startsAt":5,"status":{},"fingerprint":[]}])", now);
  ASSERT_TRUE(odd.is_ok()) << "optional text fields of another type read as absent";
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
  auto get = client->send("GET", "/", "", {{"authorization", "Bearer s3cret"}});
  ASSERT_TRUE(get.is_ok());
  EXPECT_EQ(get.value().status, 405);
  EXPECT_EQ(post(fixture("webhook-v4-firing.json"), {{"content-type", "application/json"}, {"authorization", "Bearer s3cre"}}), 401);
  EXPECT_EQ(post(fixture("webhook-v4-firing.json"), {{"content-type", "application/json"}, {"authorization", "Bearer s3creT"}}), 401);
  std::lock_guard lock(mutex);
  EXPECT_EQ(got.size(), 2u);
  EXPECT_EQ(rx->alerts_received(), 2u);
}

namespace {

int post_to(uint16_t port, const std::string& token) {
  auto c = http::make_blocking_client({"127.0.0.1", port});
  http::header_map h{{"content-type", "application/json"}};
  if (!token.empty())
    h["authorization"] = "Bearer " + token;
  auto r = c->send("POST", "/", R"([{"labels":{"alertname":"Probe"}}])", h);
  return r.is_ok() ? r.value().status : -1;
}

struct temp_dir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("kactor-receiver-" + std::to_string(::getpid()));
  temp_dir() { std::filesystem::create_directories(path); }
  ~temp_dir() { std::filesystem::remove_all(path); }
};

} // namespace

TEST(receiver_auth, beyond_loopback_without_a_token_or_client_certificates_it_does_not_start) {
  receiver_options o;
  o.address = "0.0.0.0";
  o.port = 0;
  auto r = alert_receiver::start(o, [](std::vector<alert>) {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().message().find("needs a bearer token file or TLS client certificates"), std::string::npos)
      << r.error().message();
  o.bearer_token = "";
  EXPECT_FALSE(alert_receiver::start(o, [](std::vector<alert>) {}).is_ok()) << "an empty token is no token";
  EXPECT_TRUE(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
  EXPECT_FALSE(is_loopback("0.0.0.0") || is_loopback("10.0.0.1") || is_loopback("::"));
  EXPECT_TRUE(is_loopback("127.1.2.3") && is_loopback("[::1]"));
  EXPECT_FALSE(is_loopback("127.example.com") || is_loopback("127.0.0.1.nip.io") || is_loopback(""));
}

TEST(receiver_auth, a_rotated_token_file_takes_effect_without_a_restart) {
  temp_dir dir;
  auto file = dir.path / "token";
  std::ofstream(file) << "first-token\n";
  receiver_options o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.bearer_token_file = file.string();
  std::atomic<int> delivered{0};
  auto r = alert_receiver::start(o, [&](std::vector<alert> a) { delivered += int(a.size()); });
  ASSERT_TRUE(r.is_ok()) << r.error().message();
  auto port = r.value()->port();
  EXPECT_EQ(post_to(port, ""), 401);
  EXPECT_EQ(post_to(port, "wrong"), 401);
  EXPECT_EQ(delivered, 0) << "nothing is delivered without the token";
  EXPECT_EQ(post_to(port, "first-token"), 202);
  // A Secret rotation: the file is replaced (new content, new size, new time).
  std::ofstream(file, std::ios::trunc) << "the-second-token\n";
  std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(2));
  EXPECT_EQ(post_to(port, "first-token"), 401);
  EXPECT_EQ(post_to(port, "the-second-token"), 202);
  // Half a rotation (the file briefly gone) keeps the last token rather than opening up.
  std::filesystem::remove(file);
  EXPECT_EQ(post_to(port, ""), 401);
  EXPECT_EQ(post_to(port, "the-second-token"), 202);
  EXPECT_EQ(delivered, 3);
  EXPECT_EQ(r.value()->requests_refused(), 4u);
  o.bearer_token_file = (dir.path / "missing").string();
  auto missing = alert_receiver::start(o, [](std::vector<alert>) {});
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.error().message().find("bearer token file " + o.bearer_token_file), std::string::npos);
}

TEST(receiver_auth, a_flood_of_authenticated_requests_gets_429_beyond_the_rate) {
  receiver_options o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.bearer_token = "t";
  o.requests_per_second = 2; // bursts of 4
  auto r = alert_receiver::start(o, [](std::vector<alert>) {});
  ASSERT_TRUE(r.is_ok()) << r.error().message();
  int accepted = 0, limited = 0;
  for (int i = 0; i < 10; ++i) {
    auto code = post_to(r.value()->port(), "t");
    accepted += code == 202;
    limited += code == 429;
  }
  EXPECT_GE(accepted, 4);
  EXPECT_LE(accepted, 6); // the burst, plus what the rate refilled meanwhile
  EXPECT_EQ(accepted + limited, 10);
}
