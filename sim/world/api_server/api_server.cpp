#include "sim/world/api_server/api_server.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "model/document.hpp"
#include "sim/world/api_server/api_server_impl.hpp"
#include "sim/world/api_server/discovery.hpp"
#include "sim/world/encoding.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

namespace detail {

http::response json_response(int status, const json& body) {
  return {status, {{"Content-Type", "application/json"}}, body.dump()};
}

http::response error_response(const api_error& e) {
  return json_response(e.code, e.to_status());
}

namespace {
// 429 with Retry-After: 1, from APF (kube-apiserver's words, the default) or an injected fault.
http::response too_many_requests(const std::string& message = "Too many requests, please try again later.") {
  return {429, {{"Content-Type", "application/json"}, {"Retry-After", "1"}},
          api_error{429, "TooManyRequests", message}.to_status().dump()};
}
} // namespace

std::string header(const http::request& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

api_server_impl::api_server_impl(api_server_options opts)
  : opts_(std::move(opts)), registry_(std::make_shared<resource_registry>()),
    store_(std::make_unique<object_store>(registry_, object_store::options{opts_.history, {}})),
    faults_(opts_.fault_seed), flow_(opts_.load, opts_.fault_seed) {
  auto ns = *registry_->find("", "v1", "namespaces");
  for (const char* name : {"default", "kube-system"})
    store_->create(ns, "", json{{"metadata", {{"name", name}}}});
}

model::status api_server_impl::listen() {
  http::server_options http_opts;
  http_opts.address = opts_.address;
  http_opts.port = opts_.port;
  http_opts.tls = opts_.tls;
  http_opts.threads = opts_.threads;
  auto srv = http::make_server(http_opts, [this](std::shared_ptr<http::exchange> ex) { handle(std::move(ex)); });
  if (!srv)
    return srv.error();
  http_ = std::move(*srv);
  housekeeper_ = std::thread([this] { housekeeping(); });
  for (int i = 0; i < std::max(1, opts_.threads); ++i)
    workers_.emplace_back([this] { worker(); });
  return model::status::ok();
}

std::string api_server_impl::kubeconfig(const std::string& ca_file) const {
  json cluster = {{"server", url()}};
  if (opts_.tls && !ca_file.empty()) {
    std::ifstream in{ca_file, std::ios::binary};
    cluster["certificate-authority-data"] = base64(std::string{std::istreambuf_iterator<char>{in}, {}});
  } else if (opts_.tls) {
    cluster["insecure-skip-tls-verify"] = true;
  }
  json user = opts_.token ? json{{"token", *opts_.token}} : json::object();
  return model::to_yaml({{"apiVersion", "v1"},
                         {"kind", "Config"},
                         {"clusters", json::array({{{"name", "kactor-sim"}, {"cluster", cluster}}})},
                         {"users", json::array({{{"name", "kactor-sim"}, {"user", user}}})},
                         {"contexts", json::array({{{"name", "kactor-sim"},
                                                    {"context", {{"cluster", "kactor-sim"},
                                                                 {"user", "kactor-sim"},
                                                                 {"namespace", "default"}}}}})},
                         {"current-context", "kactor-sim"}});
}

void api_server_impl::drop_watches() {
  std::list<open_watch> dropped;
  {
    std::lock_guard guard{watches_mutex_};
    dropped.swap(watches_);
  }
  for (auto& w : dropped) {
    w.handle.reset();
    w.stream->close();
  }
}

size_t api_server_impl::open_watches() const {
  std::lock_guard guard{watches_mutex_};
  return watches_.size();
}

void api_server_impl::stop() {
  if (stopping_.exchange(true))
    return;
  {
    std::lock_guard guard{watches_mutex_};
    wake_.notify_all();
    ready_cv_.notify_all();
  }
  if (housekeeper_.joinable())
    housekeeper_.join();
  for (auto& w : workers_)
    if (w.joinable())
      w.join();
  drop_watches();
  {
    std::lock_guard guard{watches_mutex_};
    delayed_.clear();
    ready_.clear();
    hung_.clear();
  }
  if (http_)
    http_->stop();
}

void api_server_impl::handle(std::shared_ptr<http::exchange> ex) {
  const auto& req = ex->req();
  auto who = authenticate(req);
  if (auto* e = std::get_if<api_error>(&who)) {
    ex->respond(error_response(*e));
    return;
  }
  auto t = parse_target(req.target);
  // kube-apiserver authorizes before it looks the resource up: a ServiceAccount without the grant gets 403
  // even for a resource that does not exist.
  if (const auto& user = std::get<caller>(who)) {
    if (auto denied = check_access(*user, req.method, t)) {
      ex->respond(error_response(*denied));
      return;
    }
  }
  if (auto doc = discovery(t.path)) {
    ex->respond(json_response(200, *doc));
    return;
  }
  if (t.path.rfind("/sim/", 0) == 0) {
    ex->respond(admin(req.method, t.path, req.method == "GET" ? json(t.query).dump() : req.body));
    return;
  }
  if (t.path == "/healthz" || t.path == "/readyz" || t.path == "/livez") {
    ex->respond({200, {{"Content-Type", "text/plain"}}, "ok"});
    return;
  }
  auto rp = parse_resource_path(t.path);
  auto type = rp ? registry_->find(rp->group, rp->version, rp->resource) : std::nullopt;
  if (!type) {
    ex->respond(error_response({404, "NotFound", "the server could not find the requested resource"}));
    return;
  }
  if (type->resource == "serviceaccounts" && rp->subresource == "token" && !rp->name.empty()) {
    ex->respond(token_request(req, *rp));
    return;
  }
  if (!rp->subresource.empty() && (rp->subresource != "status" || !type->has_status)) {
    ex->respond(error_response({404, "NotFound", "the server could not find the requested resource"}));
    return;
  }
  bool watch = req.method == "GET" && rp->name.empty() && query_bool(t.query, "watch");
  auto verb = request_verb(req.method, !rp->name.empty(), watch);
  record_request(req, verb, *rp);
  auto agent = req.headers.count("user-agent") ? req.headers.at("user-agent") : std::string{};
  auto fault = faults_.decide(verb, rp->resource, rp->name, agent.substr(0, agent.find('/')));
  auto proceed = [this, ex, type = *type, rp = *rp, t, watch, fault] {
    if (fault.code == 429)
      ex->respond(too_many_requests("injected fault: too many requests"));
    else if (fault.code != 0)
      ex->respond(error_response({fault.code, fault.code == 500 ? "InternalError" : "InjectedFault",
                                  "injected fault: HTTP " + std::to_string(fault.code)}));
    else if (watch)
      start_watch(ex, type, rp, t.query);
    else
      ex->respond(serve(ex->req(), type, rp, t.query));
  };
  if (fault.hang) {
    // Never answered: the client's own timeout must fire. Released (and the connection closed) on stop().
    std::lock_guard guard{watches_mutex_};
    hung_.push_back(ex);
    return;
  }
  if (flow_.enabled() && !watch) {
    size_t objects = 0;
    if (verb == "list") {
      objects = store_->count(*type);
      // A page reads at most `limit` objects (APF's list work estimator counts the same way).
      if (auto limit = t.query.find("limit"); limit != t.query.end())
        if (auto n = std::strtoull(limit->second.c_str(), nullptr, 10); n > 0)
          objects = std::min<size_t>(objects, n);
    }
    auto key = verb + " " + rp->resource + " " + rp->namespace_;
    admit(ex, agent.substr(0, agent.find('/')), key, objects, std::chrono::milliseconds(fault.latency_ms), std::move(proceed));
    return;
  }
  if (fault.latency_ms > 0) {
    after(std::chrono::milliseconds(fault.latency_ms), std::move(proceed));
    return;
  }
  proceed();
}

void api_server_impl::after(std::chrono::microseconds delay, std::function<void()> task) {
  std::lock_guard guard{watches_mutex_};
  delayed_.emplace(clock::now() + delay, std::move(task));
  wake_.notify_all();
}

void api_server_impl::worker() {
  std::unique_lock lock{watches_mutex_};
  while (true) {
    ready_cv_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
    if (stopping_)
      return;
    auto task = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}


void api_server_impl::admit(const std::shared_ptr<http::exchange>& ex, const std::string& flow, const std::string& key,
                            size_t objects, std::chrono::milliseconds extra, std::function<void()> proceed) {
  auto cost = flow_.cost(key.substr(0, key.find(' ')), objects);
  auto latency = cost.latency + extra;
  {
    std::lock_guard guard{latency_mutex_};
    last_latency_ms_[key] = std::chrono::duration<double, std::milli>(latency).count();
  }
  auto start = [this, ex, flow, seats = cost.seats, latency, proceed = std::move(proceed)](bool started) {
    if (!started) {
      ex->respond(too_many_requests());
      return;
    }
    after(latency, [this, flow, seats, proceed] {
      // The seat is free before the answer leaves: a client that sends its next request on the answer must
      // not find it still taken (the server would count one more in flight than the client has).
      auto next = flow_.release(flow, seats, clock::now());
      proceed();
      start_all(std::move(next));
    });
  };
  std::vector<flow_control::start_fn> run;
  if (flow_.admit(flow, cost.seats, std::move(start), run, clock::now()) == flow_control::verdict::rejected)
    ex->respond(too_many_requests());
  start_all(std::move(run));
}

void api_server_impl::start_all(std::vector<flow_control::start_fn> started) {
  for (auto& s : started)
    s(true);
}

// The simulation's own endpoints (not Kubernetes API): counters and fault switches for tests and users.
http::response api_server_impl::admin(const std::string& method, const std::string& path, const std::string& body) {
  if (auto it = admin_routes_.find(path); it != admin_routes_.end() && (method == "POST" || method == "GET")) {
    auto parsed = json::parse(body.empty() ? "{}" : body, nullptr, false);
    if (parsed.is_discarded())
      return error_response({400, "BadRequest", "the body must be JSON"});
    auto [code, reply] = it->second(parsed);
    return json_response(code, reply);
  }
  if (method == "POST" && path == "/sim/faults/api") {
    auto parsed = json::parse(body.empty() ? "{}" : body, nullptr, false);
    auto err = parsed.is_discarded() ? std::string{"the body must be JSON"} : faults_.set_from_json(parsed);
    if (!err.empty())
      return error_response({400, "BadRequest", err});
    return json_response(200, parsed);
  }
  if (method == "GET" && path == "/sim/requests") {
    std::lock_guard guard{audit_mutex_};
    json out = json::array();
    for (const auto& [agent, verb, group, resource, ns] : audit_)
      out.push_back({{"userAgent", agent}, {"verb", verb}, {"group", group}, {"resource", resource}, {"namespace", ns}});
    return json_response(200, out);
  }
  if (method == "GET" && path == "/sim/stats") {
    json out = {{"resourceVersion", store_->resource_version()}, {"writes", store_->write_count()}, {"flowControl", flow_.stats()}};
    std::lock_guard guard{latency_mutex_};
    out["flowControl"]["lastLatencyMs"] = last_latency_ms_;
    return json_response(200, out);
  }
  if (method == "POST" && path == "/sim/faults/compact") {
    store_->compact();
    return json_response(200, {{"compactedAt", store_->resource_version()}});
  }
  if (method == "POST" && path == "/sim/faults/drop-watches") {
    drop_watches();
    return json_response(200, json::object());
  }
  return error_response({404, "NotFound", "no simulation endpoint " + method + " " + path});
}

std::optional<json> api_server_impl::discovery(const std::string& path) const {
  if (path == "/version" || path == "/version/")
    return version_document();
  if (path == "/api" || path == "/api/")
    return core_versions_document(opts_.address + ":" + std::to_string(http_->port()));
  if (path == "/apis" || path == "/apis/")
    return group_list_document(*registry_);
  if (path == "/api/v1")
    return resource_list_document(*registry_, "", "v1");
  if (path == "/openapi/v3")
    return openapi_v3_index(*registry_);
  if (path.rfind("/openapi/v3/", 0) == 0)
    return openapi_v3_document(*registry_, path.substr(12));
  if (path.rfind("/apis/", 0) == 0) {
    auto rest = path.substr(6);
    auto slash = rest.find('/');
    if (slash != std::string::npos && rest.find('/', slash + 1) == std::string::npos)
      return resource_list_document(*registry_, rest.substr(0, slash), rest.substr(slash + 1));
  }
  return std::nullopt;
}

void api_server_impl::record_request(const http::request& req, const std::string& verb, const resource_path& rp) {
  auto agent = req.headers.count("user-agent") ? req.headers.at("user-agent") : std::string{};
  agent = agent.substr(0, agent.find('/'));
  auto resource = rp.subresource.empty() ? rp.resource : rp.resource + "/" + rp.subresource;
  std::lock_guard guard{audit_mutex_};
  audit_.emplace(agent, verb, rp.group, resource, rp.namespace_);
}

} // namespace detail

model::result<std::unique_ptr<api_server>> api_server::start(api_server_options opts) {
  auto server = std::make_unique<detail::api_server_impl>(std::move(opts));
  if (auto st = server->listen(); !st)
    return st;
  return std::unique_ptr<api_server>{std::move(server)};
}

} // namespace kactor::sim
