#include "integrations/kafka/rdkafka_admin.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "integrations/kafka/detail/rdkafka_operations.hpp"

namespace kactor::integrations::kafka {

namespace {

using detail::clock;

/// One queued call: its deadline, the work that ends in its callback, and its callback with an error.
struct job {
  clock::time_point deadline;
  std::function<void(const detail::request_context&)> run;
  std::function<void(admin_error)> fail;
};

/// What the admin and its worker thread share. Owned by both, so that an admin destroyed from one of its
/// own callbacks leaves the worker a valid state to wind down with.
struct worker_state {
  rdkafka_admin_options::log_function log; // librdkafka holds its address (conf opaque) until rk is destroyed
  rd_kafka_t* rk = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<job> jobs;

  ~worker_state() {
    if (rk)
      rd_kafka_destroy(rk);
  }
};

// librdkafka's log callback; runs on its threads.
void forward_log(const rd_kafka_t* rk, int level, const char* facility, const char* line) {
  auto* log = static_cast<const rdkafka_admin_options::log_function*>(rd_kafka_opaque(rk));
  if (log && *log)
    (*log)(level, facility ? facility : "", line ? line : "");
}

void run_worker(const std::shared_ptr<worker_state>& s) {
  for (;;) {
    job j;
    {
      std::unique_lock lock{s->mutex};
      s->wake.wait(lock, [&] { return s->stopping.load() || !s->jobs.empty(); });
      if (s->stopping)
        break;
      j = std::move(s->jobs.front());
      s->jobs.pop_front();
    }
    // The budget counts from the call, so a call stuck behind slow ones fails instead of waiting longer.
    if (clock::now() >= j.deadline)
      j.fail({admin_error::kind::timeout, "the request timeout passed while queued behind other calls"});
    else
      j.run(detail::request_context{s->rk, j.deadline, &s->stopping});
  }
  std::deque<job> left;
  {
    std::lock_guard lock{s->mutex};
    left.swap(s->jobs);
  }
  for (auto& j : left)
    j.fail({admin_error::kind::unavailable, "admin stopped"});
}

/// The admin: queues calls for its worker thread (see rdkafka_admin.hpp).
class rdkafka_admin final : public kafka_admin {
public:
  rdkafka_admin(std::shared_ptr<worker_state> state, std::chrono::milliseconds timeout)
    : state_(std::move(state)), timeout_(timeout), thread_([s = state_] { run_worker(s); }) {
    // nop
  }

  rdkafka_admin(const rdkafka_admin&) = delete;
  rdkafka_admin& operator=(const rdkafka_admin&) = delete;

  ~rdkafka_admin() override {
    {
      std::lock_guard lock{state_->mutex};
      state_->stopping = true;
    }
    state_->wake.notify_all();
    // From one of its own callbacks the worker cannot join itself: it finishes on its own, owning the state.
    if (thread_.get_id() == std::this_thread::get_id())
      thread_.detach();
    else
      thread_.join();
  }

  void describe_cluster(callback<cluster_description> cb) override {
    post(std::move(cb), [](const detail::request_context& ctx) { return detail::describe_cluster(ctx); });
  }

  void describe_topics(callback<std::vector<topic_description>> cb) override {
    post(std::move(cb), [](const detail::request_context& ctx) { return detail::describe_topics(ctx); });
  }

  void describe_configs(config_resource resource, callback<config_description> cb) override {
    post(std::move(cb), [r = std::move(resource)](const detail::request_context& ctx) {
      return detail::describe_configs(ctx, r);
    });
  }

  void incremental_alter_configs(config_resource resource, std::vector<config_op> ops, callback<done> cb) override {
    post(std::move(cb), [r = std::move(resource), ops = std::move(ops)](const detail::request_context& ctx) {
      return detail::incremental_alter_configs(ctx, r, ops);
    });
  }

private:
  template <class T, class Work>
  void post(callback<T> cb, Work work) {
    auto shared = std::make_shared<callback<T>>(std::move(cb));
    job j{clock::now() + timeout_,
          [shared, work = std::move(work)](const detail::request_context& ctx) { (*shared)(work(ctx)); },
          [shared](admin_error e) { (*shared)(admin_result<T>{std::move(e)}); }};
    {
      std::lock_guard lock{state_->mutex};
      if (!state_->stopping) {
        state_->jobs.push_back(std::move(j));
        state_->wake.notify_one();
        return;
      }
    }
    // Only a callback running while the admin is destroyed can get here, on the worker thread.
    j.fail({admin_error::kind::unavailable, "admin stopped"});
  }

  std::shared_ptr<worker_state> state_;
  std::chrono::milliseconds timeout_;
  std::thread thread_;
};

} // namespace

admin_result<std::shared_ptr<kafka_admin>> make_rdkafka_admin(rdkafka_admin_options options) {
  using kind = admin_error::kind;
  if (options.bootstrap_servers.empty())
    return admin_error{kind::invalid_config, "rdkafka admin: bootstrap_servers is empty"};
  if (options.request_timeout <= std::chrono::milliseconds{0})
    return admin_error{kind::invalid_config, "rdkafka admin: request_timeout must be positive"};
  auto state = std::make_shared<worker_state>();
  state->log = std::move(options.log);
  std::vector<std::pair<std::string, std::string>> props{{"bootstrap.servers", options.bootstrap_servers},
                                                         {"client.id", options.client_id}};
  props.insert(props.end(), options.properties.begin(), options.properties.end());
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char errstr[512];
  for (const auto& [name, value] : props) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return admin_error{kind::invalid_config, "rdkafka admin: property " + name + ": " + errstr};
    }
  }
  rd_kafka_conf_set_opaque(conf, &state->log);
  rd_kafka_conf_set_log_cb(conf, forward_log);
  // Admin requests need a client of either type; a producer with nothing to send is the usual choice.
  state->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!state->rk) {
    rd_kafka_conf_destroy(conf); // rd_kafka_new takes the conf only when it succeeds
    return admin_error{kind::invalid_config, std::string{"rdkafka admin: "} + errstr};
  }
  return std::shared_ptr<kafka_admin>{std::make_shared<rdkafka_admin>(std::move(state), options.request_timeout)};
}

} // namespace kactor::integrations::kafka
