// Reading a KafkaCluster from a JSON document and writing it back, losing nothing.
//
// parse_kafka_cluster checks the JSON types of every modelled field and collects one field_error per
// mismatch (path + expected type). Fields that Koperator's CRD has but kactor does not act on, and fields
// unknown to both, are kept in `raw` and each reported once as a warning with its path. to_json writes the
// modelled fields over `raw`, so parse → to_json returns the input unchanged, and changes made to the typed
// fields show up in the output. The same functions serve brokerConfig values alone.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// What parse_kafka_cluster found: the typed object, type errors and warnings.
struct parse_outcome {
  kafka_cluster cluster;
  field_errors errors;
  std::vector<std::string> warnings;
};

/// Reads a KafkaCluster document. `errors` is empty when every modelled field had the right JSON type and
/// apiVersion/kind name a KafkaCluster.
parse_outcome parse_kafka_cluster(const json& doc);

/// The document for `cluster`: its raw JSON with every modelled field written over it.
json to_json(const kafka_cluster& cluster);

/// A brokerConfig as JSON (only set fields).
json to_json(const broker_config& config);

/// Reads a brokerConfig object; errors and warnings use `path` as prefix.
broker_config parse_broker_config(const json& obj, const std::string& path, field_errors& errors,
                                  std::vector<std::string>& warnings);

/// True when `doc` says it is a kafka.banzaicloud.io KafkaCluster (any version).
bool is_kafka_cluster(const json& doc);

} // namespace kactor::model
