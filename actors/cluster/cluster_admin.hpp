// The cluster's Kafka admin as its actors hold it: one object for the cluster's lifetime that forwards
// every call to an admin for the cluster's current bootstrap address. The address follows the spec
// (headlessServiceEnabled switches the Service it names, a listener change its port), and the broker
// actors keep the handle they were spawned with, so the cluster actor re-aims this one instead of
// handing out a new admin. Thread-safe: calls come from actor threads while the cluster actor re-aims.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "integrations/kafka/kafka_admin.hpp"

namespace kactor::actors {

class cluster_admin final : public integrations::kafka::kafka_admin {
public:
  explicit cluster_admin(integrations::kafka::admin_factory factory) : factory_(std::move(factory)) {}

  /// Aims at `address`: a new admin from the factory when its bootstrap servers changed, else nothing.
  void aim(const integrations::kafka::cluster_address& address);
  /// The bootstrap servers aimed at ("" before the first aim).
  std::string bootstrap_servers() const;

  void describe_cluster(callback<integrations::kafka::cluster_description> cb) override;
  void describe_topics(callback<std::vector<integrations::kafka::topic_description>> cb) override;
  void describe_configs(integrations::kafka::config_resource resource,
                        callback<integrations::kafka::config_description> cb) override;
  void incremental_alter_configs(integrations::kafka::config_resource resource,
                                 std::vector<integrations::kafka::config_op> ops,
                                 callback<integrations::kafka::done> cb) override;

private:
  /// The admin aimed at, or null (then the call answers `unavailable` itself).
  std::shared_ptr<integrations::kafka::kafka_admin> current() const;

  integrations::kafka::admin_factory factory_;
  mutable std::mutex mutex_;
  std::string bootstrap_servers_;
  std::shared_ptr<integrations::kafka::kafka_admin> current_;
};

} // namespace kactor::actors
