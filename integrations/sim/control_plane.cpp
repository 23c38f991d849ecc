#include "integrations/sim/control_plane.hpp"

namespace kactor::integrations::sim {

model::result<std::unique_ptr<control_plane>> control_plane::start(control_plane_options opts) {
  auto api = api_server::start(opts.api);
  if (!api)
    return api.error();
  std::unique_ptr<control_plane> cp{new control_plane};
  cp->api_ = std::move(*api);
  cp->kubelet_ = std::make_unique<sim::kubelet>(cp->api_->store(), cp->api_->registry(), opts.kubelet);
  cp->kubelet_->register_nodes();
  auto* k = cp->kubelet_.get();
  cp->api_->add_admin_route("faults/kill-container", [k](const json& body) -> std::pair<int, json> {
    if (k->kill_container(body.value("namespace", "default"), body.value("pod", "")))
      return {200, json::object()};
    return {404, {{"message", "no such pod"}}};
  });
  cp->api_->add_admin_route("faults/node", [k](const json& body) -> std::pair<int, json> {
    if (k->set_node_ready(body.value("node", ""), body.value("ready", true)))
      return {200, json::object()};
    return {404, {{"message", "no such node"}}};
  });
  cp->api_->add_admin_route("faults/disk", [k](const json& body) -> std::pair<int, json> {
    if (k->set_disk_failed(body.value("namespace", "default"), body.value("pvc", ""), body.value("failed", true)))
      return {200, json::object()};
    return {404, {{"message", "no such persistentvolumeclaim"}}};
  });
  cp->kubelet_->start();
  return cp;
}

control_plane::~control_plane() {
  stop();
}

void control_plane::stop() {
  if (kubelet_)
    kubelet_->stop();
  if (api_)
    api_->stop();
}

} // namespace kactor::integrations::sim
