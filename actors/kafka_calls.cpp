#include "actors/kafka_calls.hpp"

#include "model/diff/dynamic_config.hpp"

namespace kactor::actors {

namespace kafka = integrations::kafka;
using messages::config_reconciled;

void start_kafka_describe(std::shared_ptr<kafka::kafka_admin> admin, uint64_t seq,
                          std::function<void(messages::kafka_described)> done) {
  admin->describe_cluster([admin, seq, done](kafka::admin_result<kafka::cluster_description> cluster) {
    if (!cluster.is_ok())
      return done({seq, false, cluster.error().to_string(), -1, {}});
    int32_t controller = cluster.value().controller_id;
    admin->describe_topics([seq, controller, done](kafka::admin_result<std::vector<kafka::topic_description>> topics) {
      if (!topics.is_ok())
        return done({seq, false, topics.error().to_string(), controller, {}});
      messages::kafka_described out{seq, true, "", controller, {}};
      for (const auto& t : topics.value())
        for (const auto& p : t.partitions)
          out.partitions.push_back({t.name, p.partition, p.leader, t.min_insync_replicas, p.replicas, p.isr});
      done(std::move(out));
    });
  });
}

namespace {

model::observed_config observe(const kafka::config_description& d) {
  // The level kactor manages: a broker's own dynamic configs, or the cluster-wide dynamic default.
  auto own_source = d.resource.name.empty() ? kafka::config_source::dynamic_default_broker : kafka::config_source::dynamic_broker;
  model::observed_config o;
  for (const auto& e : d.entries) {
    o.effective[e.name] = e.value;
    if (e.source == own_source)
      o.own.insert(e.name);
  }
  return o;
}

// Only a refused value is final; a broker Kafka does not list yet (just started) is asked again later.
messages::config_outcome failure_outcome(const kafka::admin_error& e) {
  return e.what == kafka::admin_error::kind::invalid_config ? messages::config_outcome::refused : messages::config_outcome::retry;
}

void verify(std::shared_ptr<kafka::kafka_admin> admin, kafka::config_resource r, model::properties desired, uint64_t gen,
            std::string applied, std::function<void(config_reconciled)> done) {
  admin->describe_configs(r, [gen, desired, applied, done](kafka::admin_result<kafka::config_description> d) {
    if (!d.is_ok())
      return done({gen, messages::config_outcome::retry, d.error().to_string()});
    auto left = model::plan_dynamic_config(desired, observe(d.value()));
    if (left.empty())
      return done({gen, messages::config_outcome::in_sync, applied});
    done({gen, messages::config_outcome::refused, "Kafka accepted but does not report: " + left.to_string()});
  });
}

} // namespace

void start_config_reconcile(std::shared_ptr<kafka::kafka_admin> admin, kafka::config_resource r, model::properties desired,
                            uint64_t gen, std::function<void(config_reconciled)> done) {
  admin->describe_configs(r, [admin, r, desired, gen, done](kafka::admin_result<kafka::config_description> d) {
    if (!d.is_ok())
      return done({gen, failure_outcome(d.error()), d.error().to_string()});
    auto change = model::plan_dynamic_config(desired, observe(d.value()));
    if (change.empty())
      return done({gen, messages::config_outcome::in_sync, ""});
    std::vector<kafka::config_op> ops;
    for (const auto& [k, v] : change.set)
      ops.push_back({kafka::config_op::kind::set, k, v});
    for (const auto& k : change.remove)
      ops.push_back({kafka::config_op::kind::remove, k, ""});
    admin->incremental_alter_configs(r, ops, [admin, r, desired, gen, done, text = change.to_string()](kafka::admin_result<kafka::done> a) {
      if (!a.is_ok())
        return done({gen, failure_outcome(a.error()), a.error().message});
      verify(admin, r, desired, gen, text, done);
    });
  });
}

uint64_t config_tracker::begin(const std::string& key) {
  if (!in_flight.empty() || key == done_for)
    return 0;
  if (state != "Error")
    state = "OutOfSync";
  in_flight = key;
  return ++generation;
}

bool config_tracker::finish(const config_reconciled& r) {
  if (r.generation != generation)
    return false;
  auto key = std::exchange(in_flight, "");
  using messages::config_outcome;
  switch (r.outcome) {
  case config_outcome::in_sync: state = "InSync"; break;
  case config_outcome::refused: state = "Error"; break;
  case config_outcome::retry: state = "OutOfSync"; break;
  }
  error = r.outcome == config_outcome::in_sync ? "" : r.message;
  if (r.outcome != config_outcome::retry)
    done_for = key; // in force, or refused: not asked again until the pod or the config changes
  return true;
}

} // namespace kactor::actors
