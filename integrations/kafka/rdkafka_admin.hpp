// kafka_admin over librdkafka 2.0.2 (its C API), the implementation `kactor run` uses.
//
// Contract: make_rdkafka_admin builds one librdkafka client for one cluster, or says why it cannot (an
// unknown or invalid librdkafka property, an empty bootstrap list, a non-positive timeout); it does not
// wait for a broker: the client connects in the background. Calls are queued to one worker thread the
// admin owns, which runs the blocking librdkafka steps one call at a time; every callback runs on that
// thread. Each call is bounded by request_timeout counted from the moment it is made (time spent queued
// behind other calls included) and then fails with timeout or unavailable. Destruction stops the worker:
// the call in flight is abandoned within ~0.1 s (a metadata request already sent to a live broker may take
// the rest of its budget), queued calls fail with unavailable "admin stopped", and no callback runs after
// the destructor returns — except when the admin is destroyed from one of its own callbacks: the thread
// then winds down on its own and fails the queued calls after the destructor. Thread-safe.
//
// What librdkafka 2.0.2 lacks, and what this admin does instead:
// - no IncrementalAlterConfigs: incremental_alter_configs describes the resource, applies the ops to its
//   own dynamic configs and writes the full set with AlterConfigs (which replaces that set). A concurrent
//   change by someone else between the two requests is lost; a kept sensitive config (unreadable) makes
//   the call fail rather than be deleted.
// - no DescribeCluster: brokers and controller id come from metadata. Racks are not in it (rack is ""),
//   and under KRaft the "controller" there is a live broker Kafka picks, not the active controller.
// - the cluster-wide default (a broker resource named "") cannot be addressed (librdkafka crashes on it):
//   describe_configs reads it through a live broker's configs and their synonyms; incremental_alter_configs
//   on it fails with `other`.
// - no internal flag in metadata: internal means __consumer_offsets or __transaction_state, Kafka's list.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "integrations/kafka/kafka_admin.hpp"

namespace kactor::integrations::kafka {

/// How to build an rdkafka admin.
struct rdkafka_admin_options {
  /// Receives librdkafka's own log lines (syslog levels: 3 error … 7 debug), on librdkafka's threads:
  /// must be thread-safe, quick, and must not call the admin.
  using log_function = std::function<void(int level, const std::string& facility, const std::string& message)>;

  std::string bootstrap_servers;                ///< "host:port,..."
  std::chrono::milliseconds request_timeout{10000}; ///< bound of each call, queueing included
  std::string client_id = "kactor";
  /// Further librdkafka properties (security.protocol, ssl.ca.location, sasl.*…), set after the ones
  /// above, so they win.
  std::map<std::string, std::string> properties;
  log_function log; ///< empty: librdkafka's log lines are dropped (failures reach the callbacks anyway)
};

/// A librdkafka-backed admin, or invalid_config naming the property librdkafka refused (see file comment).
admin_result<std::shared_ptr<kafka_admin>> make_rdkafka_admin(rdkafka_admin_options options);

} // namespace kactor::integrations::kafka
