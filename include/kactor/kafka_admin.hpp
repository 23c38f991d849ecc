// The Kafka admin port: what kactor's actors ask a running Kafka cluster — who is there and who controls
// it, where every partition's replicas, leader and ISR are, which configs are in force and where they come
// from — and the one write they make, incremental config changes (per broker, cluster-wide default, topic).
//
// Two implementations: rdkafka_admin (librdkafka, for `kactor run`) and the simulated Kafka's
// (sim/world/kafka). Both are asynchronous: every call returns at once and its callback runs later
// on another thread (or, for the simulation, possibly before the call returns). Callbacks must not block.
// Implementations are thread-safe.
//
// Beast-, CAF- and librdkafka-free, and part of the public API (include/kactor/): embedders may give
// kactor their own implementation (kactor::runtime_options::kafka_admins).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kactor::integrations::kafka {

/// Why an admin call failed.
struct admin_error {
  enum class kind {
    unavailable,    ///< no broker answered (all down, not yet started, wrong address)
    timeout,        ///< the call did not finish in time
    invalid_config, ///< a config value or key was refused (the message names it)
    not_found,      ///< unknown broker, topic or resource
    other,
  };
  kind what = kind::other;
  std::string message;

  std::string to_string() const;
};

/// A value or the error explaining why there is none.
template <class T>
class admin_result {
public:
  admin_result(T value) : data_(std::move(value)) {}
  admin_result(admin_error err) : data_(std::move(err)) {}
  bool is_ok() const { return data_.index() == 0; }
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  const admin_error& error() const { return std::get<1>(data_); }

private:
  std::variant<T, admin_error> data_;
};

/// Success without a value.
struct done {};

struct broker_node {
  int32_t id = -1;
  std::string host;
  int32_t port = 0;
  std::string rack; ///< "" when none
};

struct cluster_description {
  std::string cluster_id;
  int32_t controller_id = -1; ///< the active controller (KRaft) or controller broker (ZooKeeper); -1 unknown
  std::vector<broker_node> brokers; ///< the brokers alive now, by id
};

struct partition_description {
  int32_t partition = 0;
  int32_t leader = -1; ///< -1: offline
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
};

struct topic_description {
  std::string name;
  bool internal = false;
  int32_t min_insync_replicas = 1; ///< the topic's effective min.insync.replicas
  std::vector<partition_description> partitions;
};

/// What a config call is about. A broker resource with an empty name is the cluster-wide default.
struct config_resource {
  enum class kind { broker, topic };
  kind type = kind::broker;
  std::string name; ///< broker id as text, topic name, or "" for the cluster-wide broker default

  static config_resource broker(int32_t id) { return {kind::broker, std::to_string(id)}; }
  static config_resource cluster_default() { return {kind::broker, ""}; }
  static config_resource topic(std::string name) { return {kind::topic, std::move(name)}; }
  std::string to_string() const; ///< "broker 2", "cluster default", "topic orders"
};

/// Where a config's value comes from (Kafka's ConfigSource).
enum class config_source {
  dynamic_topic,          ///< set on the topic
  dynamic_broker,         ///< set dynamically on this broker
  dynamic_default_broker, ///< set dynamically as the cluster-wide default
  static_broker,          ///< server.properties
  default_config,         ///< Kafka's built-in default
  unknown,
};

const char* to_string(config_source s);

struct config_entry {
  std::string name;
  std::optional<std::string> value; ///< absent for sensitive values
  config_source source = config_source::unknown;
  bool read_only = false;
  bool sensitive = false;
};

struct config_description {
  config_resource resource;
  std::vector<config_entry> entries;

  /// The entry named `name`, or nullptr.
  const config_entry* find(const std::string& name) const;
};

/// One change of an incremental alter.
struct config_op {
  enum class kind { set, remove };
  kind op = kind::set;
  std::string name;
  std::string value; ///< for set
};

/// The port; see the file comment.
class kafka_admin {
public:
  template <class T>
  using callback = std::function<void(admin_result<T>)>;

  virtual ~kafka_admin() = default;

  virtual void describe_cluster(callback<cluster_description> cb) = 0;
  /// Every topic, internal ones included, with each partition's replicas, leader, ISR and the topic's
  /// effective min.insync.replicas.
  virtual void describe_topics(callback<std::vector<topic_description>> cb) = 0;
  virtual void describe_configs(config_resource resource, callback<config_description> cb) = 0;
  /// Applies `ops` to `resource` all or nothing: a refused key or value fails the whole call, naming it.
  virtual void incremental_alter_configs(config_resource resource, std::vector<config_op> ops, callback<done> cb) = 0;
};

/// How to reach one Kafka cluster.
struct cluster_address {
  std::string namespace_;
  std::string name;               ///< the KafkaCluster's name
  std::string bootstrap_servers;  ///< "host:port,..." (the all-broker Service and internal listener)
};

/// Gives the admin for a cluster; the same address gives the same (shared) admin while it is held.
using admin_factory = std::function<std::shared_ptr<kafka_admin>(const cluster_address&)>;

} // namespace kactor::integrations::kafka
