#include "actors/cluster/cluster_admin.hpp"

namespace kactor::actors {

namespace kafka = integrations::kafka;

void cluster_admin::aim(const kafka::cluster_address& address) {
  {
    std::lock_guard lock(mutex_);
    if (current_ && address.bootstrap_servers == bootstrap_servers_)
      return;
  }
  auto next = factory_ ? factory_(address) : nullptr; // outside the lock: a factory may connect
  std::lock_guard lock(mutex_);
  bootstrap_servers_ = address.bootstrap_servers;
  current_ = std::move(next);
}

std::string cluster_admin::bootstrap_servers() const {
  std::lock_guard lock(mutex_);
  return bootstrap_servers_;
}

std::shared_ptr<kafka::kafka_admin> cluster_admin::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

namespace {
kafka::admin_error not_aimed() {
  return {kafka::admin_error::kind::unavailable, "the cluster's Kafka admin has no bootstrap address yet"};
}
} // namespace

void cluster_admin::describe_cluster(callback<kafka::cluster_description> cb) {
  if (auto a = current())
    return a->describe_cluster(std::move(cb));
  cb(not_aimed());
}

void cluster_admin::describe_topics(callback<std::vector<kafka::topic_description>> cb) {
  if (auto a = current())
    return a->describe_topics(std::move(cb));
  cb(not_aimed());
}

void cluster_admin::describe_configs(kafka::config_resource resource, callback<kafka::config_description> cb) {
  if (auto a = current())
    return a->describe_configs(std::move(resource), std::move(cb));
  cb(not_aimed());
}

void cluster_admin::incremental_alter_configs(kafka::config_resource resource, std::vector<kafka::config_op> ops,
                                              callback<kafka::done> cb) {
  if (auto a = current())
    return a->incremental_alter_configs(std::move(resource), std::move(ops), std::move(cb));
  cb(not_aimed());
}

} // namespace kactor::actors
