#include "integrations/kubernetes/leader_election.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

extern char** environ;

using namespace kactor::integrations::kubernetes;
using namespace kactor::integrations::kubernetes::testing;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

const std::string k_lease_name = "kactor-test";

/// Short durations so that every test ends in a few seconds.
leader_election_options fast(const std::string& identity) {
  leader_election_options o;
  o.name = k_lease_name;
  o.identity = identity;
  o.lease_duration = 1500ms;
  o.renew_deadline = 1000ms;
  o.retry_period = 200ms;
  return o;
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// "2026-11-25T10:00:00.123456Z" in microseconds since the epoch; 0 when it does not parse.
int64_t parse_micro_time(const std::string& s) {
  std::tm tm{};
  int us = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &us)
      != 7)
    return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000000 + us;
}

/// What one elector's callbacks reported (on the I/O thread).
struct observer {
  std::atomic<int> started{0};
  std::atomic<int> stopped{0};
  std::atomic<int64_t> stopped_at_us{0};
  std::mutex mutex;
  std::vector<std::string> leaders;

  leader_elector::callbacks callbacks() {
    return {[this] { ++started; },
            [this] {
              stopped_at_us = now_us();
              ++stopped;
            },
            [this](const std::string& holder) {
              std::lock_guard lock(mutex);
              leaders.push_back(holder);
            }};
  }
  bool saw_leader(const std::string& holder) {
    std::lock_guard lock(mutex);
    return std::find(leaders.begin(), leaders.end(), holder) != leaders.end();
  }
};

struct LeaderElection : kactor::integrations::kubernetes::testing::api_test {
  // The electors are stopped in TearDown, after the test body: their observers must outlive it.
  observer observer_a, observer_b;
  void TearDown() override {
    for (auto& e : electors)
      e->stop();
    for (auto& c : clients)
      c->stop();
    kactor::integrations::kubernetes::testing::api_test::TearDown();
  }
  std::shared_ptr<leader_elector> start(leader_election_options opts, observer& obs,
                                        std::shared_ptr<kube_client> via = nullptr) {
    auto e = leader_elector::start(via ? via : client, std::move(opts), obs.callbacks());
    EXPECT_TRUE(e) << e.error().message();
    if (!e)
      return nullptr;
    electors.push_back(*e);
    return *e;
  }
  /// A second client, as a second process would have.
  std::shared_ptr<kube_client> another_client() {
    clients.push_back(make_client(*server));
    return clients.back();
  }
  json lease_spec() {
    auto lease = client->get_sync(resources::leases(), "default", k_lease_name);
    EXPECT_TRUE(lease.is_ok()) << (lease.is_ok() ? "" : lease.error().to_string());
    return lease.is_ok() ? lease.value()["spec"] : json::object();
  }

  std::vector<std::shared_ptr<kube_client>> clients;
  std::vector<std::shared_ptr<leader_elector>> electors;
};

} // namespace

TEST_F(LeaderElection, a_single_elector_leads_at_once_and_releases_on_stop) {
  observer& obs = observer_a;
  auto t0 = steady::now();
  auto e = start(fast("solo"), obs);
  ASSERT_TRUE(e);
  ASSERT_TRUE(eventually([&] { return e->is_leader(); }, 2s));
  EXPECT_LT(steady::now() - t0, 1s);
  EXPECT_EQ(obs.started, 1);
  EXPECT_EQ(e->observed_holder(), "solo");
  EXPECT_TRUE(eventually([&] { return obs.saw_leader("solo"); }, 1s));
  auto spec = lease_spec();
  EXPECT_EQ(spec["holderIdentity"], "solo");
  EXPECT_EQ(spec["leaseDurationSeconds"], 2); // 1500 ms rounded up
  EXPECT_EQ(spec["leaseTransitions"], 0);
  std::regex micro{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)"};
  EXPECT_TRUE(std::regex_match(spec["renewTime"].get<std::string>(), micro)) << spec["renewTime"];
  EXPECT_TRUE(std::regex_match(spec["acquireTime"].get<std::string>(), micro)) << spec["acquireTime"];
  // It keeps renewing.
  auto first = spec["renewTime"];
  EXPECT_TRUE(eventually([&] { return lease_spec()["renewTime"] != first; }, 1s));
  EXPECT_EQ(lease_spec()["acquireTime"], spec["acquireTime"]);

  e->stop();
  EXPECT_FALSE(e->is_leader());
  EXPECT_EQ(obs.stopped, 1);
  spec = lease_spec();
  EXPECT_EQ(spec["holderIdentity"], "");
  EXPECT_EQ(spec["leaseDurationSeconds"], 1);
  e->stop(); // idempotent
  EXPECT_EQ(obs.stopped, 1);
}

TEST_F(LeaderElection, of_two_electors_exactly_one_leads) {
  observer& oa = observer_a;
  observer& ob = observer_b;
  auto a = start(fast("a"), oa);
  auto b = start(fast("b"), ob, another_client());
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(eventually([&] { return a->is_leader() || b->is_leader(); }, 3s));
  std::this_thread::sleep_for(600ms); // three retry periods: the other must not lead meanwhile
  ASSERT_NE(a->is_leader(), b->is_leader());
  EXPECT_EQ(oa.started + ob.started, 1);
  auto& leader = a->is_leader() ? a : b;
  auto& follower = a->is_leader() ? b : a;
  auto leader_id = a->is_leader() ? "a" : "b";
  EXPECT_EQ(lease_spec()["holderIdentity"], leader_id);
  EXPECT_EQ(leader->observed_holder(), leader_id);
  EXPECT_TRUE(eventually([&] { return follower->observed_holder() == leader_id; }, 1s));
  EXPECT_TRUE(eventually([&] { return (a->is_leader() ? ob : oa).saw_leader(leader_id); }, 1s));
}

TEST_F(LeaderElection, stopping_the_leader_hands_over_without_waiting_for_expiry) {
  observer& oa = observer_a;
  observer& ob = observer_b;
  auto a = start(fast("a"), oa);
  ASSERT_TRUE(eventually([&] { return a && a->is_leader(); }, 2s));
  auto b = start(fast("b"), ob, another_client());
  std::this_thread::sleep_for(400ms);
  ASSERT_FALSE(b->is_leader());

  auto stopping = steady::now();
  a->stop();
  EXPECT_FALSE(a->is_leader());
  EXPECT_EQ(oa.stopped, 1);
  ASSERT_TRUE(eventually([&] { return b->is_leader(); }, 1500ms)); // within lease_duration
  auto took = std::chrono::duration_cast<milliseconds>(steady::now() - stopping);
  std::cout << "[ timing   ] handover from the call of stop(): " << took.count() << " ms\n";
  EXPECT_LT(took, 1000ms); // a released lease is taken at the next retry, not after expiry
  auto spec = lease_spec();
  EXPECT_EQ(spec["holderIdentity"], "b");
  EXPECT_EQ(spec["leaseTransitions"], 1);
  EXPECT_EQ(oa.started, 1);
  EXPECT_EQ(ob.started, 1);
}

TEST_F(LeaderElection, failing_renewals_end_leadership_before_the_lease_expires) {
  observer& obs = observer_a;
  auto e = start(fast("flaky"), obs);
  ASSERT_TRUE(eventually([&] { return e && e->is_leader(); }, 2s));
  std::this_thread::sleep_for(300ms);
  server->set_api_faults({kactor::sim::api_fault_rule{"update", "leases", "", 1.0, 500}});
  // Reads still work: the lease shows the last renewal that got through.
  auto last_renewal_us = parse_micro_time(lease_spec()["renewTime"].get<std::string>());
  ASSERT_NE(last_renewal_us, 0);
  ASSERT_TRUE(eventually([&] { return obs.stopped == 1; }, 3s));
  EXPECT_FALSE(e->is_leader());
  auto lost_after = milliseconds{(obs.stopped_at_us - last_renewal_us) / 1000};
  std::cout << "[ timing   ] stopped leading " << lost_after.count() << " ms after the last renewal\n";
  EXPECT_LT(lost_after, 1500ms); // before anyone else may consider the lease expired
  EXPECT_GE(lost_after, 900ms);  // not before renew_deadline without a reason

  // The lease still names it; once writes work again it leads again.
  server->set_api_faults({});
  ASSERT_TRUE(eventually([&] { return e->is_leader(); }, 10s));
  EXPECT_EQ(obs.started, 2);
  EXPECT_EQ(lease_spec()["holderIdentity"], "flaky");
}

TEST_F(LeaderElection, invalid_options_are_rejected) {
  observer& obs = observer_a;
  auto rejected = [&](leader_election_options o, const std::string& word) {
    auto r = leader_elector::start(client, std::move(o), obs.callbacks());
    EXPECT_FALSE(r);
    EXPECT_NE(r.error().message().find(word), std::string::npos) << r.error().message();
  };
  rejected(fast(""), "identity");
  auto o = fast("x");
  o.retry_period = 1000ms;
  rejected(o, "retry_period (1000 ms) must be shorter than renew_deadline (1000 ms)");
  o = fast("x");
  o.renew_deadline = 2000ms;
  rejected(o, "renew_deadline (2000 ms) must be shorter than lease_duration (1500 ms)");
  o = fast("x");
  o.retry_period = 0ms;
  rejected(o, "retry_period must be positive");
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(client->get_sync(resources::leases(), "default", k_lease_name).is(api_error_kind::not_found));
}

// --- Two processes (tests/integrations/kubernetes/lease_contender.cpp) -------------------------------------

namespace {

constexpr milliseconds k_proc_lease{2000};
constexpr milliseconds k_proc_retry{300};

/// A lease_contender child whose stdout we read; killed and reaped when destroyed.
struct child_process {
  std::string id;
  pid_t pid = -1;
  int out = -1;
  std::string partial;
  std::vector<std::pair<std::string, steady::time_point>> lines;

  ~child_process() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (out >= 0)
      ::close(out);
  }
  std::optional<steady::time_point> when(const std::string& line) const {
    for (const auto& [text, at] : lines)
      if (text == line)
        return at;
    return std::nullopt;
  }
  bool printed(const std::string& line) const { return when(line).has_value(); }
  bool leads() const { return printed("LEADING " + id); }
  void read_available() {
    char buf[4096];
    ssize_t n = ::read(out, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      return;
    if (n <= 0) {
      ::close(out);
      out = -1;
      return;
    }
    partial.append(buf, static_cast<size_t>(n));
    for (size_t pos; (pos = partial.find('\n')) != std::string::npos; partial.erase(0, pos + 1))
      lines.emplace_back(partial.substr(0, pos), steady::now());
  }
  /// The exit status (128 + signal when killed) within `limit`, else none.
  std::optional<int> wait_exit(milliseconds limit) {
    for (auto deadline = steady::now() + limit;; std::this_thread::sleep_for(10ms)) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (steady::now() >= deadline)
        return std::nullopt;
    }
  }
};

std::unique_ptr<child_process> spawn_contender(const std::string& url, const std::string& id) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<std::string> args = {KACTOR_LEASE_CONTENDER,
                                   "--server",
                                   url,
                                   "--identity",
                                   id,
                                   "--name",
                                   "kactor-proc",
                                   "--lease-ms",
                                   std::to_string(k_proc_lease.count()),
                                   "--renew-ms",
                                   "1500",
                                   "--retry-ms",
                                   std::to_string(k_proc_retry.count())};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    ADD_FAILURE() << "posix_spawn " << argv[0] << ": " << std::strerror(rc);
    return nullptr;
  }
  auto c = std::make_unique<child_process>();
  c->id = id;
  c->pid = pid;
  c->out = fds[0];
  return c;
}

/// Reads what the children print until `done()` holds or `deadline` passes; returns done().
bool pump_until(const std::vector<child_process*>& children, const std::function<bool()>& done,
                steady::time_point deadline) {
  while (!done()) {
    auto now = steady::now();
    if (now >= deadline)
      return false;
    std::vector<pollfd> fds;
    std::vector<child_process*> owners;
    for (auto* c : children)
      if (c->out >= 0) {
        fds.push_back({c->out, POLLIN, 0});
        owners.push_back(c);
      }
    auto wait = std::min<int64_t>(50, std::chrono::duration_cast<milliseconds>(deadline - now).count() + 1);
    if (fds.empty()) {
      std::this_thread::sleep_for(milliseconds{wait});
      continue;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(wait)) < 0 && errno != EINTR)
      return done();
    for (size_t i = 0; i < fds.size(); ++i)
      if (fds[i].revents != 0)
        owners[i]->read_available();
  }
  return true;
}

std::string transcript(const std::vector<child_process*>& children) {
  std::string s;
  for (auto* c : children) {
    s += c->id + ":";
    for (const auto& l : c->lines)
      s += " [" + l.first + "]";
    s += "\n";
  }
  return s;
}

struct contenders {
  std::unique_ptr<child_process> a, b;
  std::vector<child_process*> both;
  child_process* leader = nullptr;
  child_process* other = nullptr;
};

/// Starts two contenders and waits until exactly one of them leads (a test failure otherwise).
void start_two(const std::string& url, contenders& c) {
  c.a = spawn_contender(url, "proc-a");
  c.b = spawn_contender(url, "proc-b");
  ASSERT_TRUE(c.a && c.b);
  c.both = {c.a.get(), c.b.get()};
  ASSERT_TRUE(pump_until(
      c.both, [&] { return c.a->leads() || c.b->leads(); }, steady::now() + 5s))
      << transcript(c.both);
  pump_until(
      c.both, [] { return false; }, steady::now() + 3 * k_proc_retry); // the other must not lead too
  ASSERT_NE(c.a->leads(), c.b->leads()) << transcript(c.both);
  c.leader = c.a->leads() ? c.a.get() : c.b.get();
  c.other = c.a->leads() ? c.b.get() : c.a.get();
}

std::string proc_lease_holder(kube_client& client) {
  auto lease = client.get_sync(resources::leases(), "default", "kactor-proc");
  return lease.is_ok() ? lease.value()["spec"].value("holderIdentity", "") : "<" + lease.error().to_string() + ">";
}

} // namespace

TEST(LeaderElectionProcess, one_of_two_processes_leads_and_sigterm_hands_over) {
  auto server = start_api_server();
  ASSERT_TRUE(server);
  auto client = make_client(*server);
  contenders c;
  start_two(server->url(), c);
  if (HasFatalFailure())
    return;
  EXPECT_EQ(proc_lease_holder(*client), c.leader->id);
  EXPECT_TRUE(pump_until(
      c.both, [&] { return c.other->printed("NEWLEADER " + c.leader->id); }, steady::now() + 2s))
      << transcript(c.both);

  auto signalled = steady::now();
  ASSERT_EQ(::kill(c.leader->pid, SIGTERM), 0);
  ASSERT_TRUE(pump_until(
      c.both, [&] { return c.other->leads(); }, signalled + k_proc_lease))
      << transcript(c.both);
  auto took = std::chrono::duration_cast<milliseconds>(*c.other->when("LEADING " + c.other->id) - signalled);
  std::cout << "[ timing   ] takeover after SIGTERM: " << took.count() << " ms\n";
  ASSERT_TRUE(pump_until(
      c.both, [&] { return c.leader->printed("EXIT " + c.leader->id); }, steady::now() + 6s))
      << transcript(c.both);
  auto stopped = c.leader->when("STOPPED " + c.leader->id);
  ASSERT_TRUE(stopped) << transcript(c.both);
  EXPECT_LE(*stopped, *c.leader->when("EXIT " + c.leader->id));
  EXPECT_EQ(c.leader->wait_exit(6s), 0);
  EXPECT_EQ(proc_lease_holder(*client), c.other->id);
  client->stop();
}

TEST(LeaderElectionProcess, after_sigkill_the_other_leads_once_the_lease_expires) {
  auto server = start_api_server();
  ASSERT_TRUE(server);
  auto client = make_client(*server);
  contenders c;
  start_two(server->url(), c);
  if (HasFatalFailure())
    return;
  std::this_thread::sleep_for(500ms); // a few renewals, so the follower has seen the lease move

  auto killed = steady::now();
  ASSERT_EQ(::kill(c.leader->pid, SIGKILL), 0);
  EXPECT_EQ(c.leader->wait_exit(2s), 128 + SIGKILL);
  // Worst case: the last renewal seen one retry late, the expiry noticed one retry late; plus slack for
  // the request and a loaded machine.
  auto bound = k_proc_lease + 2 * k_proc_retry + 400ms;
  ASSERT_TRUE(pump_until(
      c.both, [&] { return c.other->leads(); }, killed + bound))
      << transcript(c.both);
  auto took = std::chrono::duration_cast<milliseconds>(*c.other->when("LEADING " + c.other->id) - killed);
  std::cout << "[ timing   ] takeover after SIGKILL: " << took.count() << " ms (lease " << k_proc_lease.count()
            << " ms, retry " << k_proc_retry.count() << " ms)\n";
  // Never before the lease could have expired: the last renewal was at most one retry before the kill.
  EXPECT_GE(took, k_proc_lease - k_proc_retry - 100ms);
  EXPECT_EQ(proc_lease_holder(*client), c.other->id);
  client->stop();
}
