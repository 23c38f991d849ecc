// The simulated Cruise Control's HTTP side (routing "/<ns>/<cluster>/kafkacruisecontrol/<endpoint>",
// parameter checks, the User-Task-ID protocol, the operations record) and its faults.
#include "sim/world/cruisecontrol/sim_cruise_control.hpp"

#include <cctype>
#include <cstdio>

#include "sim/world/encoding.hpp"
#include "integrations/http/url_query.hpp"
#include "sim/world/cruisecontrol/sim_cc_state.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

using namespace cc;

namespace {

const std::string not_enough_windows =
    "com.linkedin.cruisecontrol.exception.NotEnoughValidWindowsException: There are only 0 valid windows when "
    "aggregating in range [-1, " + std::to_string(now_ms()) + "] for aggregation options (minValidEntityRatio=1.00, "
    "minValidEntityGroupRatio=0.00, minValidWindows=1, numEntitiesToInclude=0, granularity=ENTITY)";

bool is_operation(const std::string& e) {
  return e == "add_broker" || e == "remove_broker" || e == "rebalance" || e == "remove_disks" ||
         e == "demote_broker" || e == "stop_proposal_execution";
}

/// "/ns/cluster/kafkacruisecontrol/endpoint?query" taken apart; false when it is not that shape.
bool parse_target(const std::string& target, std::string& ns, std::string& cluster, std::string& endpoint,
                  std::map<std::string, std::string>& params, std::string& request_path) {
  auto q = target.find('?');
  std::string path = target.substr(0, q);
  std::vector<std::string> parts;
  for (size_t i = 1; i <= path.size();) {
    auto j = path.find('/', i);
    j = j == std::string::npos ? path.size() : j;
    parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  if (parts.size() != 4 || parts[2] != "kafkacruisecontrol" || parts[0].empty() || parts[1].empty())
    return false;
  ns = parts[0];
  cluster = parts[1];
  endpoint = parts[3];
  request_path = target.substr(ns.size() + cluster.size() + 2);
  if (q != std::string::npos)
    params = http::parse_query(std::string_view{target}.substr(q + 1));
  return true;
}

http::response json_response(int status, std::string body, const std::string& task_id = {}) {
  http::response r{status, {{"Content-Type", "application/json"}}, std::move(body)};
  if (!task_id.empty())
    r.headers.emplace_back("User-Task-ID", task_id);
  return r;
}

std::string new_task_id(uint64_t n, std::mt19937_64& random) {
  char buf[48];
  auto r = random();
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-a%03x-%012llx", unsigned(n), unsigned(r & 0xffff),
                unsigned((r >> 16) & 0xfff), unsigned((r >> 28) & 0xfff), (unsigned long long)((r >> 40) | (n << 24)) & 0xffffffffffffULL);
  return buf;
}

} // namespace

cc_cluster& sim_cruise_control::impl::cluster(const std::string& ns, const std::string& name) {
  auto [it, fresh] = clusters.try_emplace(ns + "/" + name);
  if (fresh) {
    it->second.ns = ns;
    it->second.name = name;
    it->second.started = started;
  }
  return it->second;
}

void sim_cruise_control::impl::handle(std::shared_ptr<http::exchange> ex) {
  const auto& req = ex->req();
  std::string ns, name, endpoint, path;
  std::map<std::string, std::string> params;
  if (!parse_target(req.target, ns, name, endpoint, params, path))
    return ex->respond({404, {{"Content-Type", "text/plain"}}, "expected /<namespace>/<cluster>/kafkacruisecontrol/<endpoint>\n"});
  reachability reach;
  {
    std::lock_guard lock(mutex);
    reach = reachable;
  }
  if (reach)
    if (auto why = reach(ns, name); !why.empty())
      return ex->respond({502, {{"Content-Type", "text/plain"}}, "connection refused (" + why + ")\n"});
  auto v = kafka.view(ns, name);
  std::lock_guard lock(mutex);
  if (v.brokers.empty())
    return ex->respond(json_response(404, error_body(req.method, endpoint, "no simulated Kafka cluster " + ns + "/" + name)));
  auto& c = cluster(ns, name);
  if (c.fault.hang) {
    c.held.push_back(std::move(ex));
    return;
  }
  if (c.fault.down)
    return ex->respond({502, {{"Content-Type", "text/plain"}}, "connection refused (simulated Cruise Control " + ns + "/" + name + " is down)\n"});
  if (!c.required_authorization.empty()) { // Jetty's BasicAuthenticator answers before Cruise Control sees it
    auto h = req.headers.find("authorization");
    if (h == req.headers.end() || h->second != c.required_authorization) {
      ++c.unauthorized;
      return ex->respond({401, {{"Content-Type", "text/html;charset=iso-8859-1"}, {"WWW-Authenticate", "basic realm=\"CruiseControlRealm\""}},
                          "<html><body><h2>HTTP ERROR 401 Unauthorized</h2></body></html>\n"});
    }
  }
  bool post = req.method == "POST";
  received_operation* op = nullptr;
  if (post && is_operation(endpoint)) {
    auto h = req.headers.find("user-task-id");
    c.operations.push_back({endpoint, params, h == req.headers.end() ? "" : h->second, "", 0});
    op = &c.operations.back();
  }
  auto reply = [&](int status, std::string body, const std::string& task_id = {}) {
    if (op) {
      op->http_status = status;
      op->user_task_id = task_id;
    }
    ex->respond(json_response(status, std::move(body), task_id));
  };
  if (c.fault.error_rate > 0 && std::uniform_real_distribution<double>(0, 1)(random) < c.fault.error_rate)
    return reply(500, error_body(req.method, endpoint, "java.lang.RuntimeException: simulated Cruise Control failure"));
  bool warm = clock_type::now() - c.started >= opts.warm_up;
  if (!post) {
    if (req.method != "GET")
      return reply(405, error_body(req.method, endpoint, "java.lang.IllegalArgumentException: unsupported method"));
    if (endpoint == "state")
      return reply(200, state_body(c, v, warm, c.executing.empty() ? nullptr : c.find(c.executing)));
    if (endpoint == "kafka_cluster_state")
      return reply(200, kafka_cluster_state_body(v));
    if (endpoint == "load")
      return warm ? reply(200, load_json(v, nullptr, params["populate_disk_info"] == "true").dump())
                  : reply(500, error_body("GET", endpoint, not_enough_windows));
    if (endpoint == "user_tasks") {
      evict_completed(*this, c);
      std::vector<std::string> ids;
      std::string list = params["user_task_ids"];
      for (size_t i = 0; i < list.size();) {
        auto j = std::min(list.find(',', i), list.size());
        ids.push_back(list.substr(i, j - i));
        i = j + 1;
      }
      return reply(200, user_tasks_body(c, ids));
    }
    return reply(404, error_body("GET", endpoint, "java.lang.IllegalArgumentException: Unrecognized endpoint " + endpoint));
  }
  if (!op)
    return reply(404, error_body("POST", endpoint, "java.lang.IllegalArgumentException: Unrecognized endpoint " + endpoint));
  task t;
  t.endpoint = endpoint;
  t.params = params;
  t.request_url = "POST " + path;
  t.client = req.remote.substr(0, req.remote.rfind(':'));
  t.dry_run = endpoint != "stop_proposal_execution" && params["dryrun"] != "false";
  if (!op->requested_task_id.empty()) {
    task* old = c.find(op->requested_task_id);
    if (!old)
      return reply(500, error_body("POST", endpoint, "java.lang.IllegalArgumentException: UserTask " +
                                                        op->requested_task_id + " is an invalid User-Task-ID."));
    if (old->endpoint != endpoint || old->params != params)
      return reply(400, error_body("POST", endpoint, "java.lang.IllegalArgumentException: User-Task-ID " + old->id +
                                                        " belongs to another request (" + old->request_url + ")."));
    auto a = current_answer(*old);
    return reply(a.status, a.body, a.task_id);
  }
  t.id = new_task_id(++next_task, random);
  if (endpoint == "stop_proposal_execution") {
    auto a = stop_execution(*this, c, std::move(t));
    return reply(a.status, a.body, a.task_id);
  }
  if (!warm)
    return reply(500, error_body("POST", endpoint, not_enough_windows));
  if (c.active_count() >= opts.max_active_tasks)
    return reply(500, error_body("POST", endpoint, "java.lang.RuntimeException: There are already " +
                                                      std::to_string(c.active_count()) +
                                                      " active user tasks, which has reached the servlet capacity."));
  if ((endpoint == "add_broker" || endpoint == "remove_broker" || endpoint == "demote_broker") && params["brokerid"].empty())
    return reply(400, error_body("POST", endpoint, "java.lang.IllegalArgumentException: brokerid is required."));
  if (endpoint == "remove_disks" && params["brokerid_and_logdirs"].empty())
    return reply(400, error_body("POST", endpoint, "java.lang.IllegalArgumentException: brokerid_and_logdirs is required."));
  if (!t.dry_run)
    for (const auto& other : c.tasks) {
      bool unfinished = other.state == cc::task_state::active || other.state == cc::task_state::in_execution;
      auto same = [&](const char* key) {
        auto a = other.params.find(key);
        auto b = t.params.find(key);
        return (a == other.params.end()) == (b == t.params.end()) && (a == other.params.end() || a->second == b->second);
      };
      if (unfinished && !other.dry_run && other.endpoint == endpoint && same("brokerid") && same("destination_broker_ids")
          && same("brokerid_and_logdirs"))
        op->same_as_unfinished = other.id;
    }
  auto a = submit(*this, c, std::move(t));
  reply(a.status, a.body, a.task_id);
}

model::result<std::unique_ptr<sim_cruise_control>> sim_cruise_control::start(sim_kafka& kafka, sim_cruise_control_options opts) {
  std::unique_ptr<sim_cruise_control> out{new sim_cruise_control};
  auto k = std::make_shared<impl>(kafka, opts);
  http::server_options so;
  so.port = opts.port;
  std::weak_ptr<impl> weak = k;
  auto server = http::make_server(so, [weak](std::shared_ptr<http::exchange> ex) {
    if (auto self = weak.lock())
      self->handle(std::move(ex));
    else
      ex->respond({503, {}, "stopped\n"});
  });
  if (!server.is_ok())
    return server.error();
  k->server = std::move(server.value());
  k->executor = std::thread([k] { run_executor(k); });
  out->impl_ = std::move(k);
  return out;
}

sim_cruise_control::~sim_cruise_control() { stop(); }

void sim_cruise_control::stop() {
  if (!impl_)
    return;
  {
    std::lock_guard lock(impl_->run_mutex);
    impl_->running = false;
  }
  impl_->wake.notify_all();
  if (impl_->executor.joinable())
    impl_->executor.join();
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& [key, c] : impl_->clusters)
      for (auto& ex : std::exchange(c.held, {}))
        ex->respond({503, {}, "stopped\n"});
  }
  if (impl_->server)
    impl_->server->stop();
}

uint16_t sim_cruise_control::port() const { return impl_->server->port(); }

std::string sim_cruise_control::url(const std::string& ns, const std::string& cluster) const {
  return "http://127.0.0.1:" + std::to_string(port()) + "/" + ns + "/" + cluster + "/kafkacruisecontrol";
}

void sim_cruise_control::require_basic_auth(const std::string& ns, const std::string& cluster, const std::string& username,
                                            const std::string& password) {
  std::lock_guard lock(impl_->mutex);
  impl_->cluster(ns, cluster).required_authorization =
      username.empty() ? "" : "Basic " + base64(username + ":" + password);
}

int64_t sim_cruise_control::unauthorized_requests(const std::string& ns, const std::string& cluster) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->cluster(ns, cluster).unauthorized;
}

void sim_cruise_control::set_reachability(reachability r) {
  std::lock_guard lock(impl_->mutex);
  impl_->reachable = std::move(r);
}

void sim_cruise_control::set_down(const std::string& ns, const std::string& cluster, bool down) {
  std::lock_guard lock(impl_->mutex);
  impl_->cluster(ns, cluster).fault.down = down;
}

void sim_cruise_control::set_hang(const std::string& ns, const std::string& cluster, bool hang) {
  std::vector<std::shared_ptr<http::exchange>> release;
  {
    std::lock_guard lock(impl_->mutex);
    auto& c = impl_->cluster(ns, cluster);
    c.fault.hang = hang;
    if (!hang)
      release.swap(c.held);
  }
  for (auto& ex : release) // answered now, as a CC that recovers would
    impl_->handle(std::move(ex));
}

void sim_cruise_control::set_error_rate(const std::string& ns, const std::string& cluster, double rate) {
  std::lock_guard lock(impl_->mutex);
  impl_->cluster(ns, cluster).fault.error_rate = rate;
}

void sim_cruise_control::fail_next_tasks(const std::string& ns, const std::string& cluster, int32_t n) {
  std::lock_guard lock(impl_->mutex);
  impl_->cluster(ns, cluster).fail_next = n;
}

void sim_cruise_control::restart(const std::string& ns, const std::string& cluster) {
  std::lock_guard lock(impl_->mutex);
  forget_all(*impl_, impl_->cluster(ns, cluster));
}

sim_cc_fault sim_cruise_control::fault(const std::string& ns, const std::string& cluster) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->cluster(ns, cluster).fault;
}

std::vector<received_operation> sim_cruise_control::operations(const std::string& ns, const std::string& cluster) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->cluster(ns, cluster).operations;
}

} // namespace kactor::sim
