// The librdkafka requests behind rdkafka_admin — metadata, DescribeConfigs, AlterConfigs — each bounded by
// the calling admin call's deadline and converted at once into plain structs. Blocking: run on the admin's
// worker thread only. A request still waiting returns unavailable "admin stopped" within ~0.1 s of the stop
// flag being set; one sent to a live broker for metadata may use the rest of its budget.
//
// No librdkafka header here: the client is passed as its opaque struct.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "integrations/kafka/detail/rdkafka_admin_logic.hpp"
#include "integrations/kafka/kafka_admin.hpp"

struct rd_kafka_s; // librdkafka's rd_kafka_t

namespace kactor::integrations::kafka::detail {

using clock = std::chrono::steady_clock;

/// What each request needs: the client, the admin call's deadline, and the admin's stop flag.
struct request_context {
  rd_kafka_s* rk = nullptr;
  clock::time_point deadline;
  const std::atomic<bool>* stopping = nullptr;
};

/// The brokers (by id) and, when asked, every topic with its partitions (by name and id); cluster id and
/// controller id from the same answer.
struct metadata_snapshot {
  cluster_description cluster;
  std::vector<topic_description> topics; ///< min_insync_replicas not read here (left 1)
};

/// One Metadata request (retried while no broker is reachable, until the deadline).
admin_result<metadata_snapshot> read_metadata(const request_context& ctx, bool all_topics);

/// One DescribeConfigs request for `resources`; answers in the same order. `only` restricts the config
/// names asked for ({}: all). Per-resource errors are in the answers, not in the result.
admin_result<std::vector<described_resource>> describe_resources(const request_context& ctx,
                                                                 const std::vector<config_resource>& resources,
                                                                 const std::vector<std::string>& only = {});

/// One AlterConfigs request giving `resource` exactly `set` (its dynamic configs are replaced).
admin_result<done> alter_resource(const request_context& ctx, const config_resource& resource,
                                  const std::map<std::string, std::string>& set);

} // namespace kactor::integrations::kafka::detail
