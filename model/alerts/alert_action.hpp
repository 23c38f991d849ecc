// What one firing alert makes kactor do to its KafkaCluster, with Koperator's command names (annotation
// `command`): addPvc, resizePvc, upScale, downScale. The action is an edit of the CR — its spec, plus the
// annotation recording that this alert occurrence (fingerprint@startsAt) was acted on and when — which
// the caller writes in one conflict-checked PUT, so an action is applied at most once even across operator
// restarts. The normal reconcile then carries the spec change out. The spec edits themselves are model/edit's;
// what is decided here is which edit an alert asks for and whether policy allows it now.
//
// - addPvc (labels brokerId, kafka_cr, namespace — or persistentvolumeclaim, namespace; annotations
//   mountPathPrefix, diskSize, optional storageClass): the broker (or the PVC's, by its brokerId label)
//   gets one more storageConfig with mountPath
//   `<mountPathPrefix>-<n>` (the smallest n unused by that broker).
// - resizePvc (labels persistentvolumeclaim, namespace; annotation incrementBy): the broker's storageConfig
//   of that PVC's mountPath grows by incrementBy (a group's entry is copied to the broker, then grown).
// - upScale (labels kafka_cr, namespace; annotations brokerConfigGroup, or image / mountPath + diskSize
//   (+ storageClass)): a broker with the next free id; refused above alertManagerConfig.upScaleLimit
//   (default_up_scale_limit when unset or 0).
// - downScale (optional label brokerId, else the broker holding the fewest replicas): the broker leaves
//   the spec (kactor then drains it before deleting anything); refused below the floor: the largest of
//   downScaleLimit (default 1), Kafka's largest replication factor and its largest min.insync.replicas + 1
//   (unknown Kafka figures refuse: a removal Kafka cannot absorb would leave partitions under-replicated).
// Free-form values an alert may choose — annotations image, storageClass, mountPath and diskSize of
// upScale, storageClass of addPvc — are used only when spec.alertManagerConfig.allowedAnnotations (a kactor
// field beside Koperator's limits) lists them; otherwise they are ignored (the message says so) and the
// broker config group's values apply: whoever can reach the receiver must not pick the image brokers run.
// Skipped, with the reason, while a scaling cooldown runs (`cooldown_seconds` after the last action) or
// while brokers are being added or removed or disks rebalanced (brokersState cruiseControlState or a
// volume's cruiseControlVolumeState *Required/*Running/*Scheduled).
// Ignored: alerts without a command, and occurrences already acted on.
//
// Pure: no I/O, no clock (now comes in), safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "model/kafka_cluster.hpp"
#include "model/time.hpp" // rfc3339_seconds, which lived here before

namespace kactor::model {

/// The annotation on the KafkaCluster recording acted-on alert occurrences: {"<fp>@<startsAt>": "<when>"}.
inline constexpr const char* alerts_acted_on_annotation = "kactor.io/alerts-acted-on";

struct alert_occurrence {
  std::string fingerprint;
  std::string starts_at;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;

  std::string key() const { return fingerprint + "@" + starts_at; }
};

struct alert_context {
  json cr;                                     ///< the KafkaCluster as cached
  std::map<std::string, json> pvcs;            ///< the cluster's PVCs by name
  std::map<int32_t, int64_t> replicas_per_broker; ///< from Kafka, for downScale without brokerId; may be empty
  std::string now;                             ///< RFC 3339
  int64_t cooldown_seconds = 300;
  /// Kafka's largest replication factor and min.insync.replicas over its partitions; unset when unknown.
  std::optional<int32_t> largest_replication_factor, largest_min_isr;
};

/// upScaleLimit when the spec leaves it unset or 0: alerts alone never grow a cluster past this.
inline constexpr int64_t default_up_scale_limit = 10;


struct alert_decision {
  enum class kind { act, skip, ignore };
  kind what = kind::ignore;
  json cr;             ///< with act: the edited KafkaCluster to PUT
  std::string message; ///< what is done, or why not
  bool needs_kafka = false; ///< with skip: deciding needs Kafka's replica figures (the caller describes Kafka)
};

alert_decision decide_alert(const alert_occurrence& a, const alert_context& ctx);

/// True when the CR records `a` as acted on.
bool acted_on(const json& cr, const alert_occurrence& a);

} // namespace kactor::model
