// Which cluster and broker a Kubernetes object belongs to, read from the labels and annotation kactor
// (and Koperator before it) puts on every per-broker object: label `kafka_cr` names the KafkaCluster,
// label `brokerId` the broker, and a PVC's `mountPath` annotation the disk it serves.
//
// A broker id is a decimal text of 1–9 digits ("0", "12"; leading zeros allowed); anything else — empty,
// a sign, a space, a letter, 10 digits or more — is no id. Missing fields read as empty, never as an
// error: an object without labels simply belongs to no broker. Objects need not be whole: a watch cache
// summary (actors::cluster_pass_summary) carries the same fields.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kactor::model {

/// The label naming an object's KafkaCluster.
inline constexpr const char* cluster_label = "kafka_cr";
/// The label naming an object's broker.
inline constexpr const char* broker_id_label = "brokerId";

/// Where one object belongs.
struct object_identity {
  std::string namespace_;            ///< metadata.namespace; "" when absent
  std::string cluster;               ///< label kafka_cr; "" when absent
  std::optional<int32_t> broker_id;  ///< label brokerId; nullopt when absent or not an id
  std::string mount_path;            ///< annotation mountPath (PVCs); "" when absent

  bool operator==(const object_identity&) const = default;
};

/// The identity of `object` (a whole object or a summary). Never fails; non-objects read as empty.
object_identity broker_identity_of(const nlohmann::json& object);

/// A broker id from text (a label, a status.brokersState key, an Alertmanager label); nullopt unless it is
/// 1–9 decimal digits.
std::optional<int32_t> parse_broker_id(std::string_view text);

} // namespace kactor::model
