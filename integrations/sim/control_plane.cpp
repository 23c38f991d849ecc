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
  cp->api_->add_admin_route("faults/not-ready", [k](const json& body) -> std::pair<int, json> {
    k->hold_not_ready(body.value("namespace", "default"), body.value("pod", ""), body.value("held", true));
    return {200, json::object()};
  });
  cp->kafka_ = std::make_unique<sim_kafka>(cp->api_->store(), cp->api_->registry(), opts.kafka);
  auto* kafka = cp->kafka_.get();
  cp->api_->add_admin_route("faults/disk-usage", [kafka](const json& body) -> std::pair<int, json> {
    kafka->set_extra_disk_usage(body.value("namespace", "default"), body.value("pvc", ""), body.value("bytes", int64_t{0}));
    return {200, json::object()};
  });
  cp->api_->add_admin_route("kafka/topics", [kafka](const json& body) -> std::pair<int, json> {
    topic_spec t{body.value("name", ""), body.value("partitions", 1), body.value("replicationFactor", 3),
                 body.value("minInsyncReplicas", 2), body.value("produceBytesPerSecond", int64_t{0})};
    auto r = kafka->create_topic(body.value("namespace", "default"), body.value("cluster", ""), t);
    if (!r.is_ok())
      return {400, {{"message", r.error().to_string()}}};
    return {201, body};
  });
  http::server_options mo;
  mo.port = opts.metrics_port;
  auto metrics = http::make_server(mo, [kafka](std::shared_ptr<http::exchange> ex) {
    if (ex->req().method != "GET" || ex->req().target.rfind("/metrics", 0) != 0)
      return ex->respond({404, {{"Content-Type", "text/plain"}}, "only GET /metrics here\n"});
    ex->respond({200, {{"Content-Type", "text/plain; version=0.0.4"}}, kafka->metrics()});
  });
  if (!metrics.is_ok())
    return metrics.error();
  cp->metrics_ = std::move(metrics.value());
  cp->kubelet_->start();
  return cp;
}

control_plane::~control_plane() {
  stop();
}

std::string control_plane::metrics_url() const {
  return "http://127.0.0.1:" + std::to_string(metrics_->port()) + "/metrics";
}

void control_plane::stop() {
  if (metrics_)
    metrics_->stop();
  if (kafka_)
    kafka_->stop();
  if (kubelet_)
    kubelet_->stop();
  if (api_)
    api_->stop();
}

} // namespace kactor::integrations::sim
