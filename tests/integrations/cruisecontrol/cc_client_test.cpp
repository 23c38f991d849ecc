// The Cruise Control client end to end against a tiny in-process CC on loopback (integrations/http's
// server) serving the recorded answers: the parameters and headers it sends, 200 and 202 operations and
// their resubmission by User-Task-ID, GETs followed up after 202, the error kinds, deadlines against a CC
// that never answers, and stop() with requests outstanding.
#include "integrations/cruisecontrol/cc_client.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "integrations/http/server.hpp"
#include "tests/integrations/cruisecontrol/cc_test_files.hpp"

namespace kactor::integrations::cruisecontrol {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using exchange_ptr = std::shared_ptr<http::exchange>;

using test::data;
using test::has;
using test::mock;

/// The path of a request target and its query parameters (values as sent, still escaped).
struct parsed_target {
  std::string path;
  std::map<std::string, std::string> query;

  std::string param(const std::string& key) const {
    auto it = query.find(key);
    return it == query.end() ? "" : it->second;
  }
};
parsed_target parse_target(const std::string& target) {
  parsed_target out;
  auto q = target.find('?');
  out.path = target.substr(0, q);
  if (q == std::string::npos)
    return out;
  std::string rest = target.substr(q + 1);
  size_t pos = 0;
  while (pos <= rest.size()) {
    auto amp = rest.find('&', pos);
    std::string kv = rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    auto eq = kv.find('=');
    out.query[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
    if (amp == std::string::npos)
      break;
    pos = amp + 1;
  }
  return out;
}

/// Answers; true so that responders can `return reply(...)`.
bool reply(const exchange_ptr& ex, int status, std::string body, std::string task_id = {}) {
  http::response r{status, {{"Content-Type", "application/json"}}, std::move(body)};
  if (!task_id.empty())
    r.headers.emplace_back("User-Task-ID", task_id);
  ex->respond(std::move(r));
  return true;
}

/// A Cruise Control stand-in: records every request and lets the test answer it. A responder returning
/// false leaves the request unanswered (a CC that hangs).
class fake_cc {
public:
  using responder = std::function<bool(const exchange_ptr&, const parsed_target&)>;

  explicit fake_cc(responder r) : respond_(std::move(r)) {
    auto s = http::make_server({}, [this](exchange_ptr ex) {
      auto t = parse_target(ex->req().target);
      {
        std::lock_guard lock(mutex_);
        seen_.push_back(ex->req());
      }
      if (!respond_(ex, t)) {
        std::lock_guard lock(mutex_);
        hung_.push_back(ex); // a dropped exchange would answer 500 by itself
      }
    });
    server_ = std::move(s.value());
  }
  ~fake_cc() { server_->stop(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  std::vector<http::request> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

private:
  responder respond_;
  std::mutex mutex_;
  std::vector<http::request> seen_;
  std::vector<exchange_ptr> hung_;
  std::unique_ptr<http::server> server_;
};

std::unique_ptr<cruise_control> client_for(const fake_cc& cc, client_options o = {}) {
  o.endpoint = cc.url();
  auto c = make_cruise_control_client(std::move(o));
  EXPECT_TRUE(c.is_ok()) << c.error().message();
  return std::move(c.value());
}

/// Runs one call and waits for its callback.
template <class T>
cc_result<T> await(const std::function<void(cruise_control::callback<T>)>& call) {
  std::promise<cc_result<T>> p;
  call([&p](cc_result<T> r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}


TEST(CcClient, ReadsStateClusterStateAndLoad) {
  fake_cc cc([](const exchange_ptr& ex, const parsed_target& t) {
    if (ex->req().method != "GET" || t.param("json") != "true")
      return reply(ex, 400, R"({"errorMessage":"bad"})");
    if (t.path == "/kafkacruisecontrol/state" && t.param("substates") == "executor,monitor,analyzer,anomaly_detector")
      return reply(ex, 200, mock("CC-State-inExecution.json"));
    if (t.path == "/kafkacruisecontrol/kafka_cluster_state")
      return reply(ex, 200, data("kafka_cluster_state.json"));
    if (t.path == "/kafkacruisecontrol/load")
      return reply(ex, 200, data("load.json"));
    return reply(ex, 404, "not found");
  });
  auto c = client_for(cc);
  auto state = await<cc_state>([&](auto cb) { c->state(cb); });
  ASSERT_TRUE(state.is_ok()) << state.error().to_string();
  EXPECT_EQ(state.value().executor->triggered_user_task_id, "0230d401-6a36-430e-9858-fac8f2edde93");
  auto cluster = await<kafka_cluster_state>([&](auto cb) { c->kafka_cluster_state(cb); });
  ASSERT_TRUE(cluster.is_ok()) << cluster.error().to_string();
  EXPECT_EQ(cluster.value().find(2)->offline_log_dirs.size(), 1u);
  auto load = await<std::vector<broker_load>>([&](auto cb) { c->load(cb); });
  ASSERT_TRUE(load.is_ok()) << load.error().to_string();
  EXPECT_EQ(load.value().size(), 4u);
  for (const auto& r : cc.seen())
    EXPECT_EQ(r.headers.at("accept"), "application/json");
}

TEST(CcClient, OperationsSendTheirParametersAndReturnTheTaskId) {
  fake_cc cc([](const exchange_ptr& ex, const parsed_target& t) {
    if (ex->req().method != "POST")
      return reply(ex, 405, "");
    if (t.path == "/kafkacruisecontrol/stop_proposal_execution")
      return reply(ex, 200, mock("CC-Stop.json"), "stop-1");
    return reply(ex, 200, mock("CC-Rebalance-no-goals.json"), "5e8b0c2e-0000-4000-8000-000000000001");
  });
  auto c = client_for(cc);
  auto added = await<operation_result>([&](auto cb) { c->add_broker({3}, {}, cb); });
  ASSERT_TRUE(added.is_ok()) << added.error().to_string();
  EXPECT_EQ(added.value().task_id, "5e8b0c2e-0000-4000-8000-000000000001");
  EXPECT_TRUE(added.value().accepted);
  EXPECT_EQ(added.value().summary->num_replica_movements, 31);
  ASSERT_TRUE(await<operation_result>([&](auto cb) { c->remove_broker({1, 2}, {}, cb); }).is_ok());
  ASSERT_TRUE(await<operation_result>([&](auto cb) { c->rebalance({0, 1}, true, {}, cb); }).is_ok());
  ASSERT_TRUE(await<operation_result>([&](auto cb) { c->remove_disks({{1, {"/a", "/b"}}}, {}, cb); }).is_ok());
  ASSERT_TRUE(await<operation_result>([&](auto cb) { c->demote_broker({4}, {}, cb); }).is_ok());
  auto stopped = await<operation_result>([&](auto cb) { c->stop_proposal_execution(cb); });
  ASSERT_TRUE(stopped.is_ok());
  EXPECT_EQ(stopped.value().message, "Proposal execution stopped.");

  auto seen = cc.seen();
  ASSERT_EQ(seen.size(), 6u);
  std::vector<std::map<std::string, std::string>> q;
  for (const auto& r : seen)
    q.push_back(parse_target(r.target).query);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(q[i]["json"], "true");
    EXPECT_EQ(q[i]["dryrun"], "false");
    EXPECT_EQ(seen[i].headers.count("user-task-id"), 0u) << "a new task carries no User-Task-ID";
  }
  EXPECT_EQ(parse_target(seen[0].target).path, "/kafkacruisecontrol/add_broker");
  EXPECT_EQ(q[0]["brokerid"], "3");
  EXPECT_EQ(q[0]["skip_hard_goal_check"], "false");
  EXPECT_EQ(q[1]["brokerid"], "1,2");
  EXPECT_EQ(q[2]["destination_broker_ids"], "0,1");
  EXPECT_EQ(q[2]["rebalance_disk"], "true");
  EXPECT_EQ(q[3]["brokerid_and_logdirs"], "1-/a,1-/b");
  EXPECT_EQ(q[4]["brokerid"], "4");
  EXPECT_EQ(q[5].count("dryrun"), 0u) << "stop_proposal_execution takes no dryrun";
}

TEST(CcClient, An202IsAcceptedAndResubmittingByTaskIdEchoesTheHeader) {
  const std::string task = "0230d401-6a36-430e-9858-fac8f2edde93";
  fake_cc cc([&](const exchange_ptr& ex, const parsed_target&) {
    auto it = ex->req().headers.find("user-task-id");
    if (it == ex->req().headers.end())
      return reply(ex, 202, mock("CC-Rebalance-no-goals-in-progress.json"), task);
    if (it->second == task)
      return reply(ex, 200, mock("CC-Rebalance-no-goals.json"), task);
    return reply(ex, 500, R"({"errorMessage":"Error processing POST request '/rebalance' due to: )"
                          R"('java.lang.IllegalArgumentException: UserTask )" +
                              it->second + R"( is an invalid User-Task-ID'.","version":1})");
  });
  auto c = client_for(cc);
  auto first = await<operation_result>([&](auto cb) { c->rebalance({}, false, {}, cb); });
  ASSERT_TRUE(first.is_ok()) << first.error().to_string();
  EXPECT_TRUE(first.value().still_computing());
  EXPECT_EQ(first.value().task_id, task);
  EXPECT_EQ(first.value().progress.at(0).steps.at(0).step, "PENDING");

  operation_options again;
  again.user_task_id = task;
  auto second = await<operation_result>([&](auto cb) { c->rebalance({}, false, again, cb); });
  ASSERT_TRUE(second.is_ok()) << second.error().to_string();
  EXPECT_FALSE(second.value().still_computing());
  EXPECT_EQ(second.value().summary->num_leader_movements, 12);
  auto seen = cc.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].headers.at("user-task-id"), task);
  EXPECT_EQ(seen[1].target, seen[0].target) << "CC matches a resubmission by URL and parameters";

  again.user_task_id = "11111111-2222-3333-4444-555555555555";
  auto unknown = await<operation_result>([&](auto cb) { c->rebalance({}, false, again, cb); });
  ASSERT_TRUE(unknown.is(cc_error::kind::not_found)) << (unknown.is_ok() ? "ok" : unknown.error().to_string());
}

TEST(CcClient, CcFailuresMapToKindsAndNameTheEndpoint) {
  fake_cc cc([](const exchange_ptr& ex, const parsed_target& t) {
    if (t.path.ends_with("/rebalance"))
      return reply(ex, 500, mock("CC-Rebalance-NotEnoughValidWindows-error.json"));
    if (t.path.ends_with("/add_broker"))
      return reply(ex, 500, mock("CC-Broker-not-exist.json"));
    if (t.path.ends_with("/remove_broker"))
      return reply(ex, 500, R"({"errorMessage":"There are already 5 active user tasks, which has reached the )"
                            R"(servlet capacity.","version":1})");
    if (t.path.ends_with("/state"))
      return reply(ex, 200, "<html>not json</html>");
    return reply(ex, 500, mock("CC-State-fetch-error.json"));
  });
  auto c = client_for(cc);
  auto windows = await<operation_result>([&](auto cb) { c->rebalance({}, false, {}, cb); });
  ASSERT_TRUE(windows.is(cc_error::kind::not_ready));
  const auto& m = windows.error().message;
  EXPECT_TRUE(has(m, "rebalance at " + cc.url() + "/kafkacruisecontrol: HTTP 500: ")) << m;
  EXPECT_TRUE(has(m, "NotEnoughValidWindowsException")) << m;
  auto broker = await<operation_result>([&](auto cb) { c->add_broker({3}, {}, cb); });
  ASSERT_TRUE(broker.is(cc_error::kind::bad_request));
  EXPECT_TRUE(has(broker.error().message, "Broker [3] does not exist")) << broker.error().message;
  EXPECT_TRUE(await<operation_result>([&](auto cb) { c->remove_broker({1}, {}, cb); }).is(cc_error::kind::busy));
  auto garbage = await<cc_state>([&](auto cb) { c->state(cb); });
  ASSERT_TRUE(garbage.is(cc_error::kind::decode));
  EXPECT_TRUE(has(garbage.error().message, "state at " + cc.url())) << garbage.error().message;
  auto failed = await<std::vector<broker_load>>([&](auto cb) { c->load(cb); });
  ASSERT_TRUE(failed.is(cc_error::kind::server_error));
  EXPECT_EQ(failed.error().http_status, 500);
  // Refused before sending: nothing reaches CC.
  size_t before = cc.seen().size();
  EXPECT_TRUE(await<operation_result>([&](auto cb) { c->add_broker({}, {}, cb); }).is(cc_error::kind::bad_request));
  EXPECT_EQ(cc.seen().size(), before);
}

TEST(CcClient, UserTasksUnknownToCcAreNotFound) {
  fake_cc cc([](const exchange_ptr& ex, const parsed_target& t) {
    if (t.param("user_task_ids") == "rebalance-no-goals-response")
      return reply(ex, 200, mock("CC-User-task-rebalance-no-goals-Completed.json"));
    return reply(ex, 200, mock("CC-User-task-status-empty.json"));
  });
  auto c = client_for(cc);
  auto known = await<std::vector<user_task>>([&](auto cb) { c->user_tasks({"rebalance-no-goals-response"}, cb); });
  ASSERT_TRUE(known.is_ok()) << known.error().to_string();
  EXPECT_EQ(known.value().at(0).status, task_status::completed);
  auto q = parse_target(cc.seen().at(0).target).query;
  EXPECT_EQ(q["fetch_completed_task"], "true");
  EXPECT_EQ(q["json"], "true");

  auto gone = await<std::vector<user_task>>([&](auto cb) { c->user_tasks({"8a2538a5-f2c3"}, cb); });
  ASSERT_TRUE(gone.is(cc_error::kind::not_found)) << (gone.is_ok() ? "ok" : gone.error().to_string());
  EXPECT_TRUE(has(gone.error().message, "8a2538a5-f2c3")) << gone.error().message;
  auto all = await<std::vector<user_task>>([&](auto cb) { c->user_tasks({}, cb); });
  ASSERT_TRUE(all.is_ok()) << "no id asked: an empty list is an answer";
  EXPECT_TRUE(all.value().empty());
}

TEST(CcClient, AGetAnsweredWith202IsFollowedUpByItsTaskId) {
  std::atomic<int> calls{0};
  fake_cc cc([&](const exchange_ptr& ex, const parsed_target& t) {
    ++calls;
    if (t.path.ends_with("/state")) // never finishes
      return reply(ex, 202, mock("CC-Rebalance-no-goals-in-progress.json"), "state-task");
    if (!ex->req().headers.count("user-task-id"))
      return reply(ex, 202, mock("CC-Rebalance-no-goals-in-progress.json"), "load-task");
    return reply(ex, ex->req().headers.at("user-task-id") == "load-task" ? 200 : 500, data("load.json"));
  });
  client_options o;
  o.poll_interval = 20ms;
  o.timeout = 400ms;
  auto c = client_for(cc, o);
  auto load = await<std::vector<broker_load>>([&](auto cb) { c->load(cb); });
  ASSERT_TRUE(load.is_ok()) << load.error().to_string();
  EXPECT_EQ(calls.load(), 2);

  auto start = std::chrono::steady_clock::now();
  auto state = await<cc_state>([&](auto cb) { c->state(cb); });
  ASSERT_TRUE(state.is(cc_error::kind::not_ready)) << (state.is_ok() ? "ok" : state.error().to_string());
  EXPECT_TRUE(has(state.error().message, "User-Task-ID state-task")) << state.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  for (const auto& r : cc.seen()) {
    if (r.target.find("/state") != std::string::npos && r.headers.count("user-task-id")) {
      EXPECT_EQ(r.headers.at("user-task-id"), "state-task") << "never a new task per poll";
    }
  }
}

TEST(CcClient, ACcThatNeverAnswersTimesOut) {
  fake_cc hanging([](const exchange_ptr&, const parsed_target&) { return false; });
  client_options o;
  o.timeout = 300ms;
  auto c = client_for(hanging, o);
  auto start = std::chrono::steady_clock::now();
  auto r = await<operation_result>([&](auto cb) { c->add_broker({1}, {}, cb); });
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.is(cc_error::kind::unavailable));
  EXPECT_TRUE(has(r.error().message, "add_broker at " + hanging.url())) << r.error().message;
  EXPECT_TRUE(has(r.error().message, "timed out")) << r.error().message;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 2s);
}

TEST(CcClient, RefusedConnectionsAreUnavailable) {
  std::string url;
  {
    fake_cc gone([](const exchange_ptr& ex, const parsed_target&) { return reply(ex, 200, "{}"); });
    url = gone.url();
  }
  client_options o;
  o.endpoint = url;
  o.timeout = 2s;
  auto c = std::move(make_cruise_control_client(o).value());
  auto r = await<cc_state>([&](auto cb) { c->state(cb); });
  ASSERT_TRUE(r.is(cc_error::kind::unavailable));
  EXPECT_TRUE(has(r.error().message, "state at " + url + "/kafkacruisecontrol")) << r.error().message;
}

TEST(CcClient, StopFailsWhatIsOutstandingAndLaterCalls) {
  fake_cc hanging([](const exchange_ptr& ex, const parsed_target& t) {
    if (t.path.ends_with("/load"))
      return reply(ex, 202, mock("CC-Rebalance-no-goals-in-progress.json"), "load-task");
    return false; // the others hang
  });
  client_options o;
  o.poll_interval = 10s; // the load waits for its follow-up when stop() comes
  o.timeout = 60s;
  auto c = client_for(hanging, o);
  std::vector<std::future<cc_error>> pending;
  auto collect = [&](auto call) {
    auto p = std::make_shared<std::promise<cc_error>>();
    pending.push_back(p->get_future());
    call([p](auto r) {
      if (r.is_ok())
        return p->set_value(cc_error{});
      p->set_value(r.error());
    });
  };
  collect([&](auto cb) { c->add_broker({1}, {}, cruise_control::callback<operation_result>(cb)); });
  collect([&](auto cb) { c->state(cruise_control::callback<cc_state>(cb)); });
  collect([&](auto cb) { c->load(cruise_control::callback<std::vector<broker_load>>(cb)); });
  while (hanging.seen().size() < 3)
    std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(50ms); // the load's 202 has arrived
  auto start = std::chrono::steady_clock::now();
  c->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  for (auto& f : pending) {
    ASSERT_EQ(f.wait_for(0s), std::future_status::ready) << "every callback ran before stop() returned";
    auto e = f.get();
    EXPECT_EQ(e.what, cc_error::kind::unavailable);
    EXPECT_TRUE(has(e.message, "client stopped")) << e.message;
  }
  auto later = await<cc_state>([&](auto cb) { c->state(cb); });
  ASSERT_TRUE(later.is(cc_error::kind::unavailable));
  c->stop(); // idempotent
}

TEST(CcClient, BasicAuthAndOptions) {
  fake_cc cc([](const exchange_ptr& ex, const parsed_target&) {
    auto it = ex->req().headers.find("authorization");
    if (it == ex->req().headers.end() || it->second != "Basic YWRtaW46czNjcmV0")
      return reply(ex, 401, "Unauthorized");
    return reply(ex, 200, mock("CC-State.json"));
  });
  client_options o;
  o.username = "admin";
  o.password = "s3cret";
  auto c = client_for(cc, o);
  EXPECT_TRUE(await<cc_state>([&](auto cb) { c->state(cb); }).is_ok());
  auto anonymous = client_for(cc);
  EXPECT_TRUE(await<cc_state>([&](auto cb) { anonymous->state(cb); }).is(cc_error::kind::bad_request));

  client_options bad;
  bad.endpoint = "ftp://cc:21";
  EXPECT_FALSE(make_cruise_control_client(bad).is_ok());
  bad.endpoint = "http://cc:8090";
  bad.timeout = 0ms;
  EXPECT_FALSE(make_cruise_control_client(bad).is_ok());
}


TEST(CcClient, BasicAuthIsNeverSentInClearBeyondLoopback) {
  client_options o;
  o.username = "admin";
  o.password = "s3cret";
  o.endpoint = "http://cruisecontrol-svc.kafka.svc:8090";
  auto refused = make_cruise_control_client(o);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_TRUE(has(refused.error().message(), "basic authentication needs an https endpoint")) << refused.error().message();
  EXPECT_FALSE(has(refused.error().message(), "s3cret"));
  o.endpoint = "https://cruisecontrol-svc.kafka.svc:8090";
  EXPECT_TRUE(make_cruise_control_client(o).is_ok());
  o.endpoint = "http://127.0.0.1:8090"; // a port-forward or a sidecar: never on the network
  EXPECT_TRUE(make_cruise_control_client(o).is_ok());
  client_options half;
  half.endpoint = "https://cc:8090";
  half.client_cert_pem = "-----BEGIN CERTIFICATE-----\n";
  EXPECT_FALSE(make_cruise_control_client(half).is_ok());
  client_options tls_over_http;
  tls_over_http.endpoint = "http://cc:8090";
  tls_over_http.ca_pem = "-----BEGIN CERTIFICATE-----\n";
  auto ignored = make_cruise_control_client(tls_over_http);
  ASSERT_FALSE(ignored.is_ok()) << "a CA for http would be ignored: the traffic in clear";
  EXPECT_TRUE(has(ignored.error().message(), "use https")) << ignored.error().message();
  o.endpoint = "http://127.example.com:8090"; // a name, not a loopback address
  EXPECT_FALSE(make_cruise_control_client(o).is_ok());
}

TEST(CcClient, TheFactoryUsesAClustersCredentialsAsAWholeAndKeysClientsByThem) {
  std::atomic<int> admin{0}, anonymous{0};
  fake_cc cc([&](const exchange_ptr& ex, const parsed_target&) {
    auto it = ex->req().headers.find("authorization");
    bool ok = it != ex->req().headers.end() && it->second == "Basic YWRtaW46czNjcmV0"; // admin:s3cret
    ++(ok ? admin : anonymous);
    return ok ? reply(ex, 200, mock("CC-State.json")) : reply(ex, 401, "Unauthorized");
  });
  client_options flags;
  flags.username = "operator"; // the flags' user: replaced as a whole by the cluster's
  flags.password = "other";
  auto factory = make_cruise_control_factory(flags);
  model::cruise_control_credentials creds{"", "", "", "admin", "s3cret", cc.url()};
  auto with = factory({"kafka", "a", cc.url(), creds});
  auto same = factory({"kafka", "b", cc.url() + "/", creds});
  auto rotated_creds = creds;
  rotated_creds.password = "n3w";
  auto rotated = factory({"kafka", "a", cc.url(), rotated_creds});
  ASSERT_TRUE(with && same && rotated);
  EXPECT_EQ(with, same) << "one client per endpoint and credentials";
  EXPECT_NE(with, rotated) << "rotated credentials get a new client";
  EXPECT_TRUE(await<cc_state>([&](auto cb) { with->state(cb); }).is_ok());
  auto r = await<cc_state>([&](auto cb) { rotated->state(cb); });
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().http_status, 401);
  EXPECT_EQ(admin.load(), 1);

  std::string why;
  auto on_error = [&](const std::string& e) { why = e; };
  // A password goes only to the endpoint its Secret names, whatever the cluster's spec says.
  EXPECT_EQ(factory({"kafka", "c", "https://attacker.example.com:8090", creds, on_error}), nullptr);
  EXPECT_TRUE(has(why, "the credentials are for " + cc.url() + ", not this endpoint")) << why;
  EXPECT_FALSE(has(why, "s3cret"));
  creds.endpoint = "http://cruisecontrol-svc.kafka.svc:8090";
  EXPECT_EQ(factory({"kafka", "c", "http://cruisecontrol-svc.kafka.svc:8090", creds, on_error}), nullptr);
  EXPECT_TRUE(has(why, "basic authentication needs an https endpoint")) << why;
  // The flags' password goes only to --cruise-control-endpoint: without it, to no cluster's own endpoint.
  EXPECT_EQ(factory({"kafka", "d", cc.url(), std::nullopt, on_error}), nullptr);
  EXPECT_TRUE(has(why, "sent only to --cruise-control-endpoint")) << why;
  EXPECT_NE(make_cruise_control_factory(flags, cc.url())({"kafka", "d", "https://anything:1", std::nullopt, on_error}), nullptr);
  with->stop();
  rotated->stop();
}

} // namespace
} // namespace kactor::integrations::cruisecontrol
