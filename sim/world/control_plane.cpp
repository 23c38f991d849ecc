#include "sim/world/control_plane.hpp"

#include <mutex>

#include "integrations/cruisecontrol/cc_client.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

struct control_plane::client_cache {
  std::mutex mutex;
  std::map<std::string, std::weak_ptr<cruisecontrol::cruise_control>> clients; ///< "ns/name"
};

namespace {

std::pair<int, json> cruise_control_fault(sim_cruise_control& cc, const json& body) {
  auto ns = body.value("namespace", "default"), cluster = body.value("cluster", "");
  auto action = body.value("action", "");
  if (action == "down" || action == "up")
    cc.set_down(ns, cluster, action == "down");
  else if (action == "hang" || action == "unhang")
    cc.set_hang(ns, cluster, action == "hang");
  else if (action == "restart")
    cc.restart(ns, cluster);
  else if (action == "errors")
    cc.set_error_rate(ns, cluster, body.value("rate", 0.0));
  else if (action == "fail-tasks")
    cc.fail_next_tasks(ns, cluster, body.value("failTasks", 1));
  else
    return {400, {{"message", "action: expected down, up, restart, hang, unhang, errors or fail-tasks"}}};
  if (body.contains("rate") && action != "errors")
    cc.set_error_rate(ns, cluster, body.value("rate", 0.0));
  if (body.contains("failTasks") && action != "fail-tasks")
    cc.fail_next_tasks(ns, cluster, body.value("failTasks", 0));
  return {200, json::object()};
}

json operations_json(const std::vector<received_operation>& ops) {
  json out = json::array();
  for (const auto& o : ops)
    out.push_back({{"endpoint", o.endpoint}, {"params", o.params}, {"requestedUserTaskId", o.requested_task_id},
                   {"userTaskId", o.user_task_id}, {"status", o.http_status}});
  return {{"operations", out}};
}

} // namespace

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
  auto cc = sim_cruise_control::start(*kafka, opts.cruise_control);
  if (!cc.is_ok())
    return cc.error();
  cp->cruise_control_ = std::move(cc.value());
  cp->clients_ = std::make_shared<client_cache>();
  auto* ccp = cp->cruise_control_.get();
  // As in a real cluster, the Cruise Control of a KafkaCluster that names no cruiseControlEndpoint is the
  // one kactor deploys: reachable only while its Deployment has an available replica.
  ccp->set_reachability([api = cp->api_.get()](const std::string& ns, const std::string& cluster) -> std::string {
    auto kc_type = api->registry().find("kafka.banzaicloud.io", "v1beta1", "kafkaclusters");
    if (!kc_type)
      return "";
    auto kc = api->store().get(*kc_type, ns, cluster);
    if (kc.error)
      return ""; // no KafkaCluster: a Cruise Control the test or scenario set up itself
    auto endpoint = kc.object.value("/spec/cruiseControlConfig/cruiseControlEndpoint"_json_pointer, json(""));
    if (endpoint.is_string() && !endpoint.get<std::string>().empty())
      return ""; // an external Cruise Control
    auto name = cluster + "-cruisecontrol";
    auto d = api->store().get(*api->registry().find("apps", "v1", "deployments"), ns, name);
    if (d.error)
      return "no Deployment " + ns + "/" + name + " runs Cruise Control";
    if (d.object.value("/status/availableReplicas"_json_pointer, json(0)) < 1)
      return "Deployment " + ns + "/" + name + " has no available replica";
    return "";
  });
  cp->api_->add_admin_route("faults/cruise-control", [ccp](const json& body) { return cruise_control_fault(*ccp, body); });
  cp->api_->add_admin_route("cruise-control/operations", [ccp](const json& body) -> std::pair<int, json> {
    return {200, operations_json(ccp->operations(body.value("namespace", "default"), body.value("cluster", "")))};
  });
  cp->kubelet_->start();
  return cp;
}

control_plane::~control_plane() {
  stop();
}

std::string control_plane::metrics_url() const {
  return "http://127.0.0.1:" + std::to_string(metrics_->port()) + "/metrics";
}

std::string control_plane::cruise_control_url(const std::string& ns, const std::string& cluster) const {
  return cruise_control_->url(ns, cluster);
}

cruisecontrol::cruise_control_factory control_plane::cruise_control_factory(std::chrono::milliseconds poll_interval) {
  std::weak_ptr<client_cache> weak = clients_;
  auto* cc = cruise_control_.get();
  return [weak, cc, poll_interval](const cruisecontrol::cluster_endpoint& e) -> std::shared_ptr<cruisecontrol::cruise_control> {
    auto cache = weak.lock();
    if (!cache)
      return nullptr;
    std::lock_guard lock(cache->mutex);
    // The cluster's credentials (basic auth: the simulated Cruise Control is plain http on loopback) are
    // part of the key, so a rotated Secret gets a new client as in production.
    auto& slot = cache->clients[e.namespace_ + "/" + e.name + "\n" + (e.credentials ? e.credentials->fingerprint() : "")];
    if (auto c = slot.lock())
      return c;
    cruisecontrol::client_options o;
    o.endpoint = cc->url(e.namespace_, e.name);
    o.timeout = std::chrono::seconds(5);
    o.poll_interval = poll_interval;
    o.user_agent = "kactor-sim";
    if (e.credentials) { // judged against the endpoint the cluster names, as the real client would be
      if (auto st = cruisecontrol::credentials_allowed(e.endpoint, *e.credentials); !st.is_ok()) {
        if (e.on_error)
          e.on_error("cruise control client for " + e.endpoint + ": " + st.message());
        return nullptr;
      }
      o.username = e.credentials->username;
      o.password = e.credentials->password;
    }
    auto made = cruisecontrol::make_cruise_control_client(std::move(o));
    if (!made.is_ok()) {
      if (e.on_error)
        e.on_error(made.error().message());
      return nullptr;
    }
    std::shared_ptr<cruisecontrol::cruise_control> c = std::move(made.value());
    slot = c;
    return c;
  };
}

void control_plane::stop() {
  if (cruise_control_)
    cruise_control_->stop();
  if (metrics_)
    metrics_->stop();
  if (kafka_)
    kafka_->stop();
  if (kubelet_)
    kubelet_->stop();
  if (api_)
    api_->stop();
}

} // namespace kactor::sim
