// The librdkafka admin without a Kafka: creation errors; every call against a loopback port nothing listens
// on ends within its bound on the admin's own thread; destruction fails what is queued and returns at once;
// the metadata path against librdkafka's mock cluster (which speaks Metadata but not DescribeConfigs).
#include "integrations/kafka/rdkafka_admin.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace kactor::integrations::kafka {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using kind = admin_error::kind;

// A loopback port nobody listens on: bound by the kernel, then closed.
std::string dead_address() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

std::shared_ptr<kafka_admin> make_admin(const std::string& bootstrap, std::chrono::milliseconds timeout) {
  rdkafka_admin_options opts;
  opts.bootstrap_servers = bootstrap;
  opts.request_timeout = timeout;
  auto admin = make_rdkafka_admin(opts);
  EXPECT_TRUE(admin.is_ok()) << admin.error().to_string();
  return admin.is_ok() ? admin.value() : nullptr;
}

/// Collects callback outcomes from any thread: the error (or none), when, and on which thread.
struct outcomes {
  struct one {
    std::optional<admin_error> error;
    clock_type::time_point at;
    std::thread::id thread;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<one> got;

  template <class T>
  kafka_admin::callback<T> sink() {
    return [this](admin_result<T> r) {
      std::lock_guard lock{mutex};
      got.push_back({r.is_ok() ? std::nullopt : std::optional{r.error()}, clock_type::now(), std::this_thread::get_id()});
      changed.notify_all();
    };
  }
  size_t count() {
    std::lock_guard lock{mutex};
    return got.size();
  }
  bool wait_for(size_t n, std::chrono::milliseconds limit) {
    std::unique_lock lock{mutex};
    return changed.wait_for(lock, limit, [&] { return got.size() >= n; });
  }
};

TEST(rdkafka_admin, creation_names_an_unknown_property) {
  rdkafka_admin_options opts;
  opts.bootstrap_servers = "127.0.0.1:9092";
  opts.properties = {{"no.such.property", "1"}};
  auto admin = make_rdkafka_admin(opts);
  ASSERT_FALSE(admin.is_ok());
  EXPECT_EQ(admin.error().what, kind::invalid_config);
  EXPECT_NE(admin.error().message.find("no.such.property"), std::string::npos) << admin.error().message;
}

TEST(rdkafka_admin, creation_names_an_invalid_value) {
  rdkafka_admin_options opts;
  opts.bootstrap_servers = "127.0.0.1:9092";
  opts.properties = {{"security.protocol", "carrier_pigeon"}};
  auto admin = make_rdkafka_admin(opts);
  ASSERT_FALSE(admin.is_ok());
  EXPECT_EQ(admin.error().what, kind::invalid_config);
  EXPECT_NE(admin.error().message.find("security.protocol"), std::string::npos) << admin.error().message;
}

TEST(rdkafka_admin, creation_refuses_no_bootstrap_servers_and_no_timeout) {
  rdkafka_admin_options opts;
  EXPECT_FALSE(make_rdkafka_admin(opts).is_ok());
  opts.bootstrap_servers = "127.0.0.1:9092";
  opts.request_timeout = 0ms;
  EXPECT_FALSE(make_rdkafka_admin(opts).is_ok());
}

// Five calls made at once, each bounded from when it was made: the ones queued behind the first do not
// wait for it and then for their own budget too.
TEST(rdkafka_admin, every_call_fails_within_its_bound_when_nothing_listens) {
  constexpr auto timeout = 1000ms;
  auto admin = make_admin(dead_address(), timeout);
  ASSERT_TRUE(admin);
  outcomes out;
  const auto start = clock_type::now();
  admin->describe_cluster(out.sink<cluster_description>());
  admin->describe_topics(out.sink<std::vector<topic_description>>());
  admin->describe_configs(config_resource::broker(1), out.sink<config_description>());
  admin->describe_configs(config_resource::topic("orders"), out.sink<config_description>());
  admin->incremental_alter_configs(config_resource::topic("orders"), {{config_op::kind::set, "retention.ms", "1"}},
                                   out.sink<done>());
  ASSERT_TRUE(out.wait_for(5, timeout + 2000ms));
  std::lock_guard lock{out.mutex};
  for (const auto& o : out.got) {
    ASSERT_TRUE(o.error);
    EXPECT_TRUE(o.error->what == kind::unavailable || o.error->what == kind::timeout) << o.error->to_string();
    EXPECT_LT(o.at - start, timeout + 700ms) << o.error->to_string();
    EXPECT_NE(o.thread, std::this_thread::get_id());
    EXPECT_EQ(o.thread, out.got.front().thread); // the admin's one worker
  }
}

TEST(rdkafka_admin, destruction_fails_pending_calls_at_once_and_calls_nothing_afterwards) {
  auto admin = make_admin(dead_address(), 2000ms);
  ASSERT_TRUE(admin);
  outcomes out;
  admin->describe_cluster(out.sink<cluster_description>());
  admin->describe_topics(out.sink<std::vector<topic_description>>());
  admin->describe_configs(config_resource::topic("orders"), out.sink<config_description>());
  std::this_thread::sleep_for(200ms); // the first call is in flight
  const auto before = clock_type::now();
  admin.reset();
  EXPECT_LT(clock_type::now() - before, 1000ms); // half the budget; ~0.1 s expected
  ASSERT_EQ(out.count(), 3u);
  {
    std::lock_guard lock{out.mutex};
    for (const auto& o : out.got) {
      ASSERT_TRUE(o.error);
      EXPECT_EQ(o.error->what, kind::unavailable);
      EXPECT_EQ(o.error->message, "admin stopped");
    }
  }
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(out.count(), 3u);
}

TEST(rdkafka_admin, may_be_destroyed_from_its_own_callback) {
  auto admin = make_admin(dead_address(), 1000ms);
  ASSERT_TRUE(admin);
  std::promise<void> called;
  // Refused at once (see below), so the callback comes quickly.
  admin->incremental_alter_configs(config_resource::cluster_default(), {{config_op::kind::set, "a", "b"}},
                                   [&](admin_result<done>) {
                                     admin.reset(); // the last owner, on the worker thread
                                     called.set_value();
                                   });
  ASSERT_EQ(called.get_future().wait_for(3s), std::future_status::ready);
  std::this_thread::sleep_for(300ms); // the detached worker winds down and destroys the client
}

TEST(rdkafka_admin, refuses_the_cluster_default_alter_and_does_nothing_for_no_ops) {
  auto admin = make_admin(dead_address(), 1000ms);
  ASSERT_TRUE(admin);
  std::promise<admin_result<done>> refused, nothing;
  admin->incremental_alter_configs(config_resource::cluster_default(), {{config_op::kind::set, "a", "b"}},
                                   [&](admin_result<done> r) { refused.set_value(r); });
  admin->incremental_alter_configs(config_resource::topic("t"), {}, [&](admin_result<done> r) { nothing.set_value(r); });
  auto r = refused.get_future().get();
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().what, kind::other);
  EXPECT_NE(r.error().message.find("cluster default"), std::string::npos);
  EXPECT_TRUE(nothing.get_future().get().is_ok());
}

/// librdkafka's in-process mock cluster on loopback.
struct mock_cluster {
  rd_kafka_t* rk = nullptr;
  rd_kafka_mock_cluster_t* cluster = nullptr;

  explicit mock_cluster(int brokers) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
    char errstr[256];
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    cluster = rd_kafka_mock_cluster_new(rk, brokers);
  }
  ~mock_cluster() {
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
  }
  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster); }
};

template <class T>
admin_result<T> wait(std::function<void(kafka_admin::callback<T>)> call) {
  std::promise<admin_result<T>> p;
  call([&](admin_result<T> r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

TEST(rdkafka_admin, describes_the_mock_clusters_brokers_and_id) {
  mock_cluster mock{3};
  auto admin = make_admin(mock.bootstraps(), 2000ms);
  ASSERT_TRUE(admin);
  auto r = wait<cluster_description>([&](auto cb) { admin->describe_cluster(cb); });
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  ASSERT_EQ(r.value().brokers.size(), 3u);
  std::string listed;
  for (size_t i = 0; i < 3; ++i) {
    const auto& b = r.value().brokers[i];
    EXPECT_EQ(b.id, static_cast<int32_t>(i + 1));
    EXPECT_EQ(b.host, "127.0.0.1");
    listed += (i ? "," : "") + b.host + ":" + std::to_string(b.port);
  }
  EXPECT_EQ(listed, mock.bootstraps());
  EXPECT_FALSE(r.value().cluster_id.empty());
}

TEST(rdkafka_admin, a_broker_missing_from_the_metadata_is_not_found_at_once) {
  mock_cluster mock{3};
  auto admin = make_admin(mock.bootstraps(), 5000ms);
  ASSERT_TRUE(admin);
  const auto start = clock_type::now();
  for (auto resource : {config_resource::broker(7), config_resource{config_resource::kind::broker, "abc"}}) {
    auto r = wait<config_description>([&](auto cb) { admin->describe_configs(resource, cb); });
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().what, kind::not_found) << r.error().to_string();
  }
  EXPECT_LT(clock_type::now() - start, 2s);
}

// The mock cluster has no DescribeConfigs: the topics' min.insync.replicas cannot be read, and the call
// must fail rather than report a made-up value.
TEST(rdkafka_admin, describe_topics_fails_when_min_insync_replicas_cannot_be_read) {
  mock_cluster mock{3};
  ASSERT_EQ(rd_kafka_mock_topic_create(mock.cluster, "orders", 2, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto admin = make_admin(mock.bootstraps(), 1000ms);
  ASSERT_TRUE(admin);
  auto r = wait<std::vector<topic_description>>([&](auto cb) { admin->describe_topics(cb); });
  ASSERT_FALSE(r.is_ok());
  auto c = wait<config_description>([&](auto cb) { admin->describe_configs(config_resource::broker(1), cb); });
  ASSERT_FALSE(c.is_ok());
  EXPECT_NE(c.error().message.find("DescribeConfigs"), std::string::npos) << c.error().to_string();
}

} // namespace
} // namespace kactor::integrations::kafka
