// The four kafka_admin calls as sequences of librdkafka requests (rdkafka_requests.hpp) and decisions
// (rdkafka_admin_logic.hpp); see rdkafka_admin.hpp for what each does where librdkafka 2.0.2 falls short.
// Blocking, bounded by the context's deadline: run on the admin's worker thread only.
#pragma once

#include <vector>

#include "integrations/kafka/detail/rdkafka_requests.hpp"
#include "integrations/kafka/kafka_admin.hpp"

namespace kactor::integrations::kafka::detail {

/// Metadata without topics: brokers, controller id, cluster id.
admin_result<cluster_description> describe_cluster(const request_context& ctx);

/// Metadata with every topic, then one DescribeConfigs of all topics for min.insync.replicas. A topic
/// deleted between the two is left out; any other per-topic error fails the call.
admin_result<std::vector<topic_description>> describe_topics(const request_context& ctx);

/// DescribeConfigs of the resource; a broker must be in the metadata (else not_found). The cluster
/// default is read through the lowest-id live broker.
admin_result<config_description> describe_configs(const request_context& ctx, const config_resource& resource);

/// DescribeConfigs, then AlterConfigs with full_alter_set's result. No ops: done without a request.
admin_result<done> incremental_alter_configs(const request_context& ctx, const config_resource& resource,
                                             const std::vector<config_op>& ops);

} // namespace kactor::integrations::kafka::detail
