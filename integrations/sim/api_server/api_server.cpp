#include "integrations/sim/api_server/api_server.hpp"

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <list>
#include <mutex>
#include <set>
#include <tuple>
#include <thread>

#include "integrations/sim/api_server/api_faults.hpp"
#include "integrations/sim/api_server/api_path.hpp"
#include "integrations/sim/api_server/crd_admission.hpp"
#include "integrations/sim/api_server/discovery.hpp"
#include "integrations/sim/api_server/patch.hpp"
#include "integrations/sim/api_server/protobuf.hpp"
#include "integrations/sim/api_server/table.hpp"
#include "integrations/sim/encoding.hpp"
#include "model/document.hpp"

namespace kactor::integrations::sim {

namespace {

using clock = std::chrono::steady_clock;

http::response json_response(int status, const json& body) {
  return {status, {{"Content-Type", "application/json"}}, body.dump()};
}

http::response error_response(const api_error& e) {
  return json_response(e.code, e.to_status());
}

std::string header(const http::request& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

// Reads a request body as JSON (or YAML for apply patches); errors name what is wrong.
std::variant<json, api_error> parse_body(const http::request& r, bool yaml_allowed) {
  auto type = header(r, "content-type");
  auto base = type.substr(0, type.find(';'));
  bool yaml = base == "application/yaml" || base == "application/apply-patch+yaml";
  if (base == "application/vnd.kubernetes.protobuf") {
    auto decoded = decode_kubernetes_protobuf(r.body);
    if (!decoded)
      return api_error{decoded.error().kind() == model::status_kind::unsupported ? 415 : 400,
                       decoded.error().kind() == model::status_kind::unsupported ? "UnsupportedMediaType" : "BadRequest",
                       decoded.error().message()};
    return *decoded;
  }
  if (!yaml && base.find("json") == std::string::npos && !base.empty())
    return api_error{415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted "
                                                   "media types include: application/json, application/yaml"};
  if (yaml && yaml_allowed) {
    auto docs = model::load_documents(r.body, "request body");
    if (!docs)
      return api_error{400, "BadRequest", docs.error().message()};
    if (docs->size() != 1)
      return api_error{400, "BadRequest", "expected exactly one YAML document in the request body"};
    return docs->front();
  }
  try {
    return json::parse(r.body);
  } catch (const json::parse_error& e) {
    return api_error{400, "BadRequest", std::string{"the request body is not valid JSON: "} + e.what()};
  }
}

struct open_watch {
  std::unique_ptr<watch_handle> handle;
  std::shared_ptr<http::stream> stream;
  std::string resource_key, api_version, kind;
  std::optional<clock::time_point> deadline;
};

class api_server_impl final : public api_server {
public:
  explicit api_server_impl(api_server_options opts)
    : opts_(std::move(opts)), registry_(std::make_shared<resource_registry>()),
      store_(std::make_unique<object_store>(registry_, object_store::options{opts_.history, {}})),
      faults_(opts_.fault_seed) {
    auto ns = *registry_->find("", "v1", "namespaces");
    for (const char* name : {"default", "kube-system"})
      store_->create(ns, "", json{{"metadata", {{"name", name}}}});
  }

  ~api_server_impl() override { stop(); }

  model::status listen() {
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
    return model::status::ok();
  }

  uint16_t port() const override { return http_->port(); }
  std::string url() const override {
    return std::string{opts_.tls ? "https" : "http"} + "://" + opts_.address + ":" + std::to_string(port());
  }
  object_store& store() override { return *store_; }
  resource_registry& registry() override { return *registry_; }

  std::string kubeconfig(const std::string& ca_file) const override {
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

  void drop_watches() override {
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

  void set_api_faults(std::vector<api_fault_rule> rules) override { faults_.set(std::move(rules)); }

  void add_admin_route(const std::string& name, admin_route route) override {
    admin_routes_["/sim/" + name] = std::move(route);
  }

  void stop() override {
    if (stopping_.exchange(true))
      return;
    {
      std::lock_guard guard{watches_mutex_};
      wake_.notify_all();
    }
    if (housekeeper_.joinable())
      housekeeper_.join();
    drop_watches();
    {
      std::lock_guard guard{watches_mutex_};
      delayed_.clear();
      hung_.clear();
    }
    if (http_)
      http_->stop();
  }

private:
  void handle(std::shared_ptr<http::exchange> ex) {
    const auto& req = ex->req();
    if (opts_.token && header(req, "authorization") != "Bearer " + *opts_.token) {
      ex->respond(error_response({401, "Unauthorized", "Unauthorized"}));
      return;
    }
    auto t = parse_target(req.target);
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
        ex->respond({429, {{"Content-Type", "application/json"}, {"Retry-After", "1"}},
                     api_error{429, "TooManyRequests", "injected fault: too many requests"}.to_status().dump()});
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
    if (fault.latency_ms > 0) {
      std::lock_guard guard{watches_mutex_};
      delayed_.emplace(clock::now() + std::chrono::milliseconds(fault.latency_ms), std::move(proceed));
      wake_.notify_all();
      return;
    }
    proceed();
  }

  // The simulation's own endpoints (not Kubernetes API): counters and fault switches for tests and users.
  http::response admin(const std::string& method, const std::string& path, const std::string& body) {
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
    if (method == "GET" && path == "/sim/stats")
      return json_response(200, {{"resourceVersion", store_->resource_version()}, {"writes", store_->write_count()}});
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

  std::optional<json> discovery(const std::string& path) const {
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

  http::response serve(const http::request& req, const resource_type& type, const resource_path& rp,
                       const query_map& q) {
    bool status = rp.subresource == "status";
    const auto& m = req.method;
    if (m == "GET" && !rp.name.empty())
      return reply(store_->get(type, rp.namespace_, rp.name), 200, type, req);
    if (m == "GET")
      return list(type, rp, q, req);
    if (m == "POST" && rp.name.empty()) {
      auto body = parse_body(req, false);
      if (auto* e = std::get_if<api_error>(&body))
        return error_response(*e);
      return reply(store_->create(type, rp.namespace_, std::get<json>(body)), 201, type, req);
    }
    if (m == "PUT" && !rp.name.empty()) {
      auto body = parse_body(req, false);
      if (auto* e = std::get_if<api_error>(&body))
        return error_response(*e);
      return reply(store_->update(type, rp.namespace_, rp.name, std::get<json>(body), status), 200, type, req);
    }
    if (m == "PATCH" && !rp.name.empty())
      return patch(req, type, rp, q, status);
    if (m == "DELETE" && !rp.name.empty())
      return reply(store_->remove(type, rp.namespace_, rp.name, delete_opts(req, q)), 200, type, req);
    if (m == "DELETE")
      return delete_collection(req, type, rp, q);
    return error_response({405, "MethodNotAllowed", "the server does not allow this method on the requested resource"});
  }

  http::response reply(const store_result& r, int code, const resource_type& type, const http::request& req) {
    if (r.error)
      return error_response(*r.error);
    const json* object = &r.object;
    json defaulted;
    if (defaults_on_read(type)) {
      defaulted = r.object;
      apply_read_defaults(type, defaulted);
      object = &defaulted;
    }
    if (wants_table(header(req, "accept")))
      return json_response(code, to_table(type, {*object}, (*object)["metadata"].value("resourceVersion", ""),
                                          std::chrono::system_clock::now()));
    return json_response(code, *object);
  }

  http::response list(const resource_type& type, const resource_path& rp, const query_map& q,
                      const http::request& req) {
    auto labels = parse_label_selector(q.contains("labelSelector") ? q.at("labelSelector") : "");
    auto fields = parse_field_selector(q.contains("fieldSelector") ? q.at("fieldSelector") : "");
    if (!labels || !fields)
      return error_response({400, "BadRequest", (!labels ? labels.error() : fields.error()).message()});
    size_t limit = 0;
    if (q.contains("limit"))
      limit = static_cast<size_t>(std::strtoull(q.at("limit").c_str(), nullptr, 10));
    auto res = store_->list(type, rp.namespace_, *labels, *fields, limit, q.contains("continue") ? q.at("continue") : "");
    for (auto& item : res.items)
      apply_read_defaults(type, item);
    if (wants_table(header(req, "accept")))
      return json_response(200, to_table(type, res.items, res.resource_version, std::chrono::system_clock::now()));
    json meta = {{"resourceVersion", res.resource_version}};
    if (!res.continue_token.empty())
      meta["continue"] = res.continue_token;
    return json_response(200, {{"kind", type.kind + "List"},
                               {"apiVersion", type.group_version()},
                               {"metadata", meta},
                               {"items", res.items}});
  }

  http::response patch(const http::request& req, const resource_type& type, const resource_path& rp,
                       const query_map& q, bool status) {
    auto kind = patch_type_for(header(req, "content-type"));
    if (!kind)
      return error_response({415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                                                          "accepted media types include: application/json-patch+json, "
                                                          "application/merge-patch+json, application/apply-patch+yaml"});
    auto body = parse_body(req, *kind == patch_type::apply);
    if (auto* e = std::get_if<api_error>(&body))
      return error_response(*e);
    const json& p = std::get<json>(body);
    bool create = *kind == patch_type::apply;
    if (create && q.contains("fieldManager") == false)
      return error_response({422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                                             "is required for apply patch"});
    auto result = store_->modify(type, rp.namespace_, rp.name, status, create,
                                 [&](const json& current) -> std::variant<json, api_error> {
                                   auto patched = apply_patch(*kind, current.is_null() ? json::object() : current, p);
                                   if (!patched)
                                     return api_error{422, "Invalid", patched.error().message()};
                                   return *patched;
                                 });
    return reply(result, 200, type, req);
  }

  static delete_options delete_opts(const http::request& req, const query_map& q) {
    delete_options opts;
    json body = json::object();
    if (!req.body.empty()) {
      try {
        body = json::parse(req.body);
      } catch (const json::parse_error&) {
        body = json::object();
      }
    }
    if (!body.is_object())
      body = json::object();
    opts.propagation = body.value("propagationPolicy", q.contains("propagationPolicy") ? q.at("propagationPolicy")
                                                                                        : std::string{"Background"});
    if (body.contains("gracePeriodSeconds") && body["gracePeriodSeconds"].is_number_integer())
      opts.grace_period_seconds = body["gracePeriodSeconds"].get<int64_t>();
    else if (q.contains("gracePeriodSeconds"))
      opts.grace_period_seconds = std::strtoll(q.at("gracePeriodSeconds").c_str(), nullptr, 10);
    if (body.contains("preconditions") && body["preconditions"].is_object()) {
      const auto& pre = body["preconditions"];
      if (pre.contains("uid") && pre["uid"].is_string())
        opts.precondition_uid = pre["uid"].get<std::string>();
      if (pre.contains("resourceVersion") && pre["resourceVersion"].is_string())
        opts.precondition_resource_version = pre["resourceVersion"].get<std::string>();
    }
    return opts;
  }

  http::response delete_collection(const http::request& req, const resource_type& type, const resource_path& rp,
                                   const query_map& q) {
    auto labels = parse_label_selector(q.contains("labelSelector") ? q.at("labelSelector") : "");
    auto fields = parse_field_selector(q.contains("fieldSelector") ? q.at("fieldSelector") : "");
    if (!labels || !fields)
      return error_response({400, "BadRequest", (!labels ? labels.error() : fields.error()).message()});
    auto res = store_->list(type, rp.namespace_, *labels, *fields);
    json deleted = json::array();
    for (const auto& o : res.items) {
      auto r = store_->remove(type, o["metadata"].value("namespace", ""), o["metadata"].value("name", ""),
                              delete_opts(req, q));
      if (!r.error)
        deleted.push_back(r.object);
    }
    return json_response(200, {{"kind", type.kind + "List"},
                               {"apiVersion", type.group_version()},
                               {"metadata", {{"resourceVersion", std::to_string(store_->resource_version())}}},
                               {"items", deleted}});
  }

  void start_watch(const std::shared_ptr<http::exchange>& ex, const resource_type& type, const resource_path& rp,
                   const query_map& q) {
    auto labels = parse_label_selector(q.contains("labelSelector") ? q.at("labelSelector") : "");
    auto fields = parse_field_selector(q.contains("fieldSelector") ? q.at("fieldSelector") : "");
    if (!labels || !fields) {
      ex->respond(error_response({400, "BadRequest", (!labels ? labels.error() : fields.error()).message()}));
      return;
    }
    watch_request wr;
    wr.resource_key = type.key();
    wr.namespace_ = rp.namespace_;
    wr.labels = *labels;
    wr.fields = *fields;
    wr.bookmarks = query_bool(q, "allowWatchBookmarks");
    auto rv = q.contains("resourceVersion") ? q.at("resourceVersion") : "";
    if (!rv.empty() && rv != "0") {
      char* end = nullptr;
      auto parsed = std::strtoull(rv.c_str(), &end, 10);
      if (!end || *end != '\0') {
        ex->respond(error_response({400, "BadRequest", "invalid resourceVersion \"" + rv + "\""}));
        return;
      }
      wr.from_version = parsed;
    }
    bool table = wants_table(header(ex->req(), "accept"));
    auto stream = ex->start_stream(200, {{"Content-Type", "application/json"}});
    auto first = std::make_shared<std::atomic<bool>>(true);
    wr.deliver = [stream, type, table, first](const watch_event& e) {
      json object = e.object;
      if (e.type != "BOOKMARK" && e.type != "ERROR")
        apply_read_defaults(type, object);
      if (table && e.type != "BOOKMARK" && e.type != "ERROR")
        object = to_table(type, {object}, e.object["metadata"].value("resourceVersion", ""),
                          std::chrono::system_clock::now(), first->exchange(false));
      stream->write(json{{"type", e.type}, {"object", object}}.dump() + "\n");
    };
    auto handle = store_->watch(std::move(wr));
    if (auto* err = std::get_if<api_error>(&handle)) {
      // The apiserver reports an expired starting point inside the stream, then ends it.
      stream->write(json{{"type", "ERROR"}, {"object", err->to_status()}}.dump() + "\n");
      stream->close();
      return;
    }
    open_watch w{std::move(std::get<std::unique_ptr<watch_handle>>(handle)), stream, type.key(), type.group_version(),
                 type.kind, std::nullopt};
    if (q.contains("timeoutSeconds"))
      w.deadline = clock::now() + std::chrono::seconds(std::strtoll(q.at("timeoutSeconds").c_str(), nullptr, 10));
    std::lock_guard guard{watches_mutex_};
    watches_.push_back(std::move(w));
  }

  void housekeeping() {
    auto next_bookmark = clock::now() + opts_.bookmark_interval;
    std::unique_lock lock{watches_mutex_};
    while (!stopping_) {
      auto until = clock::now() + std::chrono::milliseconds(100);
      if (!delayed_.empty())
        until = std::min(until, delayed_.begin()->first);
      wake_.wait_until(lock, until);
      auto now = clock::now();
      std::vector<std::function<void()>> due;
      while (!delayed_.empty() && delayed_.begin()->first <= now) {
        due.push_back(std::move(delayed_.begin()->second));
        delayed_.erase(delayed_.begin());
      }
      std::list<open_watch> finished;
      for (auto it = watches_.begin(); it != watches_.end();) {
        bool expired = it->deadline && now >= *it->deadline;
        if (expired || !it->stream->is_open()) {
          auto next = std::next(it);
          finished.splice(finished.end(), watches_, it);
          it = next;
        } else {
          ++it;
        }
      }
      std::vector<std::tuple<std::string, std::string, std::string>> keys;
      if (now >= next_bookmark) {
        next_bookmark = now + opts_.bookmark_interval;
        for (const auto& w : watches_)
          keys.emplace_back(w.resource_key, w.api_version, w.kind);
      }
      lock.unlock();
      for (auto& task : due)
        task();
      for (auto& w : finished) {
        w.handle.reset();
        w.stream->close();
      }
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (const auto& [key, api_version, kind] : keys)
        store_->bookmark(key, api_version, kind);
      lock.lock();
    }
  }

  api_server_options opts_;
  std::shared_ptr<resource_registry> registry_;
  std::unique_ptr<object_store> store_;
  std::unique_ptr<http::server> http_;
  std::mutex watches_mutex_;
  std::condition_variable wake_;
  std::list<open_watch> watches_;
  std::thread housekeeper_;
  std::atomic<bool> stopping_{false};
  std::map<std::string, admin_route> admin_routes_;
  /// Every distinct (user agent, verb, group, resource[/subresource], namespace) served: what an RBAC
  /// role must allow (GET /sim/requests).
  std::mutex audit_mutex_;
  std::set<std::tuple<std::string, std::string, std::string, std::string, std::string>> audit_;

  void record_request(const http::request& req, const std::string& verb, const resource_path& rp) {
    auto agent = req.headers.count("user-agent") ? req.headers.at("user-agent") : std::string{};
    agent = agent.substr(0, agent.find('/'));
    auto resource = rp.subresource.empty() ? rp.resource : rp.resource + "/" + rp.subresource;
    std::lock_guard guard{audit_mutex_};
    audit_.emplace(agent, verb, rp.group, resource, rp.namespace_);
  }
  api_faults faults_;
  std::multimap<clock::time_point, std::function<void()>> delayed_; ///< requests answered late (latency faults)
  std::vector<std::shared_ptr<http::exchange>> hung_;               ///< requests never answered (hang faults)
};

} // namespace

model::result<std::unique_ptr<api_server>> api_server::start(api_server_options opts) {
  auto server = std::make_unique<api_server_impl>(std::move(opts));
  if (auto st = server->listen(); !st)
    return st;
  return std::unique_ptr<api_server>{std::move(server)};
}

} // namespace kactor::integrations::sim
