// The decisions of the librdkafka admin (rdkafka_admin.hpp) that need no broker: which dynamic configs an
// AlterConfigs must carry to emulate an incremental alter, how the cluster-wide default is read through a
// broker, how librdkafka error codes map to admin_error kinds. Kept free of librdkafka types so tests call
// them directly.
//
// Pure: no I/O, no clock; safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "integrations/kafka/kafka_admin.hpp"

namespace kactor::integrations::kafka::detail {

/// One entry of a DescribeConfigs answer with the lower-priority values behind it (Kafka's synonyms,
/// highest priority first).
struct described_entry {
  config_entry entry;
  std::vector<config_entry> synonyms;
};

/// One resource of a DescribeConfigs answer.
struct described_resource {
  config_resource resource;
  int error = 0;             ///< an rd_kafka_resp_err_t; 0 when described
  std::string error_message; ///< the broker's (or librdkafka's) words when error != 0
  std::vector<described_entry> entries;
};

/// The admin_error kind for an rd_kafka_resp_err_t (passed as int).
admin_error::kind error_kind(int rd_kafka_error);

/// An admin_error of the kind error_kind gives, with `message`.
admin_error make_error(int rd_kafka_error, std::string message);

/// The broker id a broker resource names, or nullopt unless the name is a non-negative int32 in decimal
/// (librdkafka 2.0.2 refuses other names, and crashes on "": callers check before asking it).
std::optional<int32_t> parse_broker_id(const std::string& name);

/// The config source AlterConfigs replaces on `resource`: DYNAMIC_TOPIC_CONFIG for a topic,
/// DYNAMIC_DEFAULT_BROKER_CONFIG for the cluster default, DYNAMIC_BROKER_CONFIG for one broker.
config_source own_dynamic_source(const config_resource& resource);

/// The complete name → value set an AlterConfigs on `resource` must carry so that it applies `ops` (in
/// order) and keeps every other dynamic config of the resource: AlterConfigs replaces the resource's
/// whole dynamic set, so anything left out would be reset. `described` is the resource's
/// DescribeConfigs answer; only entries from own_dynamic_source count. Fails with invalid_config for an
/// op without a name, and with `other` when a kept entry has no readable value (Kafka never returns
/// sensitive values): writing the set without it would silently delete it.
admin_result<std::map<std::string, std::string>> full_alter_set(const config_resource& resource,
                                                                const std::vector<config_entry>& described,
                                                                const std::vector<config_op>& ops);

/// The cluster-wide dynamic defaults as one broker's DescribeConfigs answer shows them: an entry whose
/// own source is DYNAMIC_DEFAULT_BROKER_CONFIG, or whose synonyms hold one (a per-broker value
/// overrides the default there). Sorted by name, one per name; read_only is false.
std::vector<config_entry> cluster_default_entries(const std::vector<described_entry>& broker_entries);

/// The effective min.insync.replicas in a topic's DescribeConfigs answer, or an error naming the topic.
admin_result<int32_t> min_insync_replicas(const described_resource& topic);

/// True for the topics Kafka itself calls internal (__consumer_offsets, __transaction_state); librdkafka
/// 2.0.2's metadata does not carry the flag.
bool is_internal_topic(const std::string& name);

} // namespace kactor::integrations::kafka::detail
