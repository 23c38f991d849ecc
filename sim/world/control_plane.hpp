// The whole simulated control plane: the API server plus the kubelet (nodes, scheduling, pod lifecycle,
// volumes), with the kubelet's fault switches served over HTTP:
//   POST /sim/faults/kill-container {"namespace": "...", "pod": "..."}
//   POST /sim/faults/node           {"node": "...", "ready": false}
//   POST /sim/faults/disk           {"namespace": "...", "pvc": "...", "failed": true}
//   POST /sim/faults/not-ready      {"namespace": "...", "pod": "...", "held": true}
//   POST /sim/faults/api            {"rules": [{"verb", "resource", "name", "rate", "code", "latencyMs", "hang"}]}
//   POST /sim/faults/compact, POST /sim/faults/drop-watches (the API server's own)
//   POST /sim/faults/disk-usage     {"namespace": "...", "pvc": "...", "bytes": N}   (the simulated Kafka's)
// plus the simulated Kafka (sim_kafka.hpp) following the brokers' pods, its topics created with
//   POST /sim/kafka/topics          {"namespace", "cluster", "name", "partitions", "replicationFactor",
//                                    "minInsyncReplicas", "produceBytesPerSecond"}
// and its brokers' metrics served on a listener of their own: GET http://127.0.0.1:<metrics_port>/metrics.
// The simulated Cruise Control (cruisecontrol/sim_cruise_control.hpp) serves every cluster on a listener of
// its own (cruise_control_url); its faults and its record of operations:
//   POST /sim/faults/cruise-control {"namespace", "cluster", "action": "down"|"up"|"restart"|"hang"|"unhang"|
//                                    "errors"|"fail-tasks", "rate": 0.5 (errors), "failTasks": N (fail-tasks)}
//   GET  /sim/cruise-control/operations?namespace=NS&cluster=C
//        → {"operations": [{"endpoint", "params": {...}, "requestedUserTaskId", "userTaskId", "status"}]}
// start() returns once the API server listens and the nodes exist; stop() stops the simulated Cruise Control,
// the simulated Kafka and the kubelet, then the servers. Thread-safe as its parts are.
#pragma once

#include <memory>

#include "integrations/cruisecontrol/api.hpp"
#include "sim/world/api_server/api_server.hpp"
#include "sim/world/cruisecontrol/sim_cruise_control.hpp"
#include "sim/world/kafka/sim_kafka.hpp"
#include "sim/world/kubelet/kubelet.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

struct control_plane_options {
  api_server_options api;
  kubelet_options kubelet;
  sim_kafka_options kafka;
  uint16_t metrics_port = 0; ///< the simulated brokers' /metrics (0: a free port)
  sim_cruise_control_options cruise_control;
};

class control_plane {
public:
  static model::result<std::unique_ptr<control_plane>> start(control_plane_options opts);
  ~control_plane();

  api_server& api() { return *api_; }
  sim::kubelet& kubelet() { return *kubelet_; }
  sim_kafka& kafka() { return *kafka_; }
  sim_cruise_control& cruise_control() { return *cruise_control_; }
  /// "http://127.0.0.1:PORT/<ns>/<cluster>/kafkacruisecontrol": the cluster's simulated Cruise Control.
  std::string cruise_control_url(const std::string& ns, const std::string& cluster) const;
  /// REST clients (make_cruise_control_client, 5 s timeout, `poll_interval` between follow-ups of a 202)
  /// of the simulated Cruise Control, one per cluster, shared and kept while any holder keeps it; the
  /// request's endpoint is ignored.
  cruisecontrol::cruise_control_factory cruise_control_factory(std::chrono::milliseconds poll_interval = std::chrono::milliseconds{200});
  /// "http://127.0.0.1:PORT/metrics": the simulated brokers' Prometheus endpoint.
  std::string metrics_url() const;
  void stop();

private:
  control_plane() = default;
  std::unique_ptr<api_server> api_;
  std::unique_ptr<sim::kubelet> kubelet_;
  std::unique_ptr<sim_kafka> kafka_;
  std::unique_ptr<http::server> metrics_;
  std::unique_ptr<sim_cruise_control> cruise_control_;
  struct client_cache;
  std::shared_ptr<client_cache> clients_;
};

} // namespace kactor::sim
