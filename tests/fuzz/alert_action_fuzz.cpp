// Fuzzes the alert decision with outside input on both sides: the alert payload (anything that reaches the
// receiver) and the KafkaCluster it acts on (written by users and other controllers). The input is an
// alert payload, optionally followed by "\n---\n" and a JSON merge patch applied to a sample KafkaCluster
// (spec, status, annotations of any type). decide_alert must never throw; an action keeps the CR an object.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "integrations/alertmanager/alert_payload.hpp"
#include "model/alerts/alert_action.hpp"

namespace {

using kactor::model::json;

const json& sample_cluster() {
  static const json cr = json::parse(R"({
    "apiVersion": "kafka.banzaicloud.io/v1beta1", "kind": "KafkaCluster",
    "metadata": {"name": "kafka", "namespace": "kafka", "uid": "u1",
                 "annotations": {"kactor.io/alerts-acted-on": "{\"fp@2026-03-01T09:00:00Z\":\"2026-03-01T09:00:01Z\"}"}},
    "spec": {"headlessServiceEnabled": true, "zkAddresses": ["zk:2181"],
             "alertManagerConfig": {"upScaleLimit": 5, "downScaleLimit": 1,
                                    "allowedAnnotations": ["image", "mountPath", "diskSize", "storageClass"]},
             "brokerConfigGroups": {"default": {"storageConfigs": [{"mountPath": "/kafka-logs",
                 "pvcSpec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}}}]}},
             "brokers": [{"id": 0, "brokerConfigGroup": "default"}, {"id": 1, "brokerConfigGroup": "default"},
                         {"id": 2, "brokerConfigGroup": "default",
                          "brokerConfig": {"storageConfigs": [{"mountPath": "/extra", "pvcSpec": {"resources": {"requests": {"storage": "5Gi"}}}}]}}],
             "listenersConfig": {"internalListeners": [{"type": "plaintext", "name": "internal", "containerPort": 29092,
                                                        "usedForInnerBrokerCommunication": true}]}},
    "status": {"brokersState": {"0": {"gracefulActionState": {"cruiseControlState": "GracefulUpscaleSucceeded"}}}}
  })");
  return cr;
}

const json& sample_pvc() {
  static const json pvc = json::parse(R"({
    "metadata": {"name": "kafka-1-storage-0", "namespace": "kafka",
                 "labels": {"app": "kafka", "kafka_cr": "kafka", "brokerId": "1"},
                 "annotations": {"mountPath": "/kafka-logs"}},
    "spec": {"resources": {"requests": {"storage": "10Gi"}}, "storageClassName": "standard"}
  })");
  return pvc;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace m = kactor::model;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto split = input.find("\n---\n");
  auto payload = input.substr(0, split);
  kactor::model::alert_context ctx;
  ctx.cr = sample_cluster();
  if (split != std::string_view::npos) {
    auto patch = json::parse(input.substr(split + 5), nullptr, false);
    if (patch.is_discarded())
      return 0;
    ctx.cr.merge_patch(patch);
  }
  ctx.pvcs["kafka-1-storage-0"] = sample_pvc();
  ctx.replicas_per_broker = {{0, 10}, {1, 3}, {2, 7}};
  ctx.largest_replication_factor = 2;
  ctx.largest_min_isr = 1;
  ctx.now = "2026-03-01T10:00:00Z";
  auto alerts = kactor::integrations::alertmanager::parse_alerts(payload, ctx.now);
  if (!alerts.is_ok())
    return 0;
  for (const auto& a : alerts.value()) {
    m::alert_occurrence o{a.fingerprint, a.starts_at, a.labels, a.annotations};
    auto d = m::decide_alert(o, ctx);
    if (d.what == m::alert_decision::kind::act && (!d.cr.is_object() || !m::acted_on(d.cr, o)))
      __builtin_trap(); // an action records its occurrence in the CR it returns
    if (d.what != m::alert_decision::kind::act && d.message.empty())
      __builtin_trap(); // a skip or ignore says why
  }
  return 0;
}
