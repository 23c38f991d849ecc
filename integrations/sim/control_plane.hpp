// The whole simulated control plane: the API server plus the kubelet (nodes, scheduling, pod lifecycle,
// volumes), with the kubelet's fault switches served over HTTP:
//   POST /sim/faults/kill-container {"namespace": "...", "pod": "..."}
//   POST /sim/faults/node           {"node": "...", "ready": false}
//   POST /sim/faults/disk           {"namespace": "...", "pvc": "...", "failed": true}
//   POST /sim/faults/api            {"rules": [{"verb", "resource", "name", "rate", "code", "latencyMs", "hang"}]}
//   POST /sim/faults/compact, POST /sim/faults/drop-watches (the API server's own)
// start() returns once the API server listens and the nodes exist; stop() stops the kubelet, then the
// server. Thread-safe as its parts are.
#pragma once

#include <memory>

#include "integrations/sim/api_server/api_server.hpp"
#include "integrations/sim/kubelet/kubelet.hpp"

namespace kactor::integrations::sim {

struct control_plane_options {
  api_server_options api;
  kubelet_options kubelet;
};

class control_plane {
public:
  static model::result<std::unique_ptr<control_plane>> start(control_plane_options opts);
  ~control_plane();

  api_server& api() { return *api_; }
  sim::kubelet& kubelet() { return *kubelet_; }
  void stop();

private:
  control_plane() = default;
  std::unique_ptr<api_server> api_;
  std::unique_ptr<sim::kubelet> kubelet_;
};

} // namespace kactor::integrations::sim
