#include "integrations/kubernetes/kube_client.hpp"

#include "integrations/kubernetes/rate_limiter.hpp"
#include "model/json_read.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <string_view>

namespace kactor::integrations::kubernetes {

namespace {

using clock = std::chrono::steady_clock;

/// One API request with its retry state.
struct call {
  std::string verb;     ///< Kubernetes verb, for metrics and messages
  std::string resource;
  http::outgoing_request req;
  bool idempotent = false;
  int attempt = 0;
  bool reauthenticated = false;
  clock::time_point started;
  std::function<void(api_result<http::response>)> done;
};

std::string header(const http::response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return v;
  }
  return {};
}

void append_query(std::string& target, const std::string& key, const std::string& value) {
  if (value.empty())
    return;
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += key + "=" + query_escape(value);
}

api_error decode_error(const model::status& st) {
  api_error e;
  e.kind = api_error_kind::decode;
  e.reason = "Decode";
  e.message = st.message();
  return e;
}

class client_impl final : public kube_client {
public:
  client_impl(client_config config, kube_client_options opts, std::shared_ptr<http::async_client> http)
      : config_(std::move(config)), opts_(std::move(opts)), http_(std::move(http)),
        tokens_(config_.token, config_.token_file), limiter_(opts_.qps, opts_.burst),
        metrics_(opts_.metrics ? opts_.metrics : std::make_shared<request_metrics>()), rng_(std::random_device{}()) {}

  // Callbacks hold only weak references: the last strong one stays with the caller, so the client is
  // destroyed (and its I/O thread joined) on the caller's thread, never on its own I/O thread.
  ~client_impl() override { http_->stop(); }

  std::weak_ptr<client_impl> weak_self() { return std::static_pointer_cast<client_impl>(shared_from_this()); }

  const client_config& config() const override { return config_; }

  void get(const resource_type& type, const std::string& ns, const std::string& name, json_callback done) override {
    start_json("get", type, "GET", object_path(type, ns_for(type, ns), name), "", {}, true, std::move(done), false);
  }

  void list(const resource_type& type, const std::string& ns, const list_options& opts, json_callback done) override {
    std::string target = collection_path(type, ns);
    append_query(target, "labelSelector", opts.label_selector);
    append_query(target, "fieldSelector", opts.field_selector);
    if (opts.limit > 0)
      append_query(target, "limit", std::to_string(opts.limit));
    append_query(target, "continue", opts.continue_token);
    append_query(target, "resourceVersion", opts.resource_version);
    start_json("list", type, "GET", target, "", {}, true, std::move(done), true);
  }

  void list_all(const resource_type& type, const std::string& ns, list_options opts, json_callback done) override {
    if (opts.limit <= 0)
      opts.limit = 500;
    auto self = std::static_pointer_cast<client_impl>(shared_from_this());
    auto acc = std::make_shared<json>();
    next_page(self, type, ns, opts, acc, std::move(done), false);
  }

  void create(const resource_type& type, const std::string& ns, json object, json_callback done) override {
    if (!object.contains("apiVersion") && !type.kind.empty()) {
      object["apiVersion"] = type.api_version();
      object["kind"] = type.kind;
    }
    auto target = collection_path(type, ns_for(type, ns, object));
    start_json("create", type, "POST", target, object.dump(), {}, false, std::move(done), false);
  }

  void update(const resource_type& type, const std::string& ns, json object, json_callback done) override {
    put(type, ns, std::move(object), "", std::move(done));
  }

  void update_status(const resource_type& type, const std::string& ns, json object, json_callback done) override {
    put(type, ns, std::move(object), "status", std::move(done));
  }

  void patch(const resource_type& type, const std::string& ns, const std::string& name, patch_type kind, json body,
             json_callback done, const std::string& subresource, bool force) override {
    std::string target = object_path(type, ns_for(type, ns, body), name, subresource);
    http::header_map headers;
    bool idempotent = false;
    switch (kind) {
    case patch_type::merge: headers["content-type"] = "application/merge-patch+json"; break;
    case patch_type::json_patch: headers["content-type"] = "application/json-patch+json"; break;
    case patch_type::strategic: headers["content-type"] = "application/strategic-merge-patch+json"; break;
    case patch_type::apply:
      // Apply is declarative: sending the same intent twice is harmless, so it may be retried.
      headers["content-type"] = "application/apply-patch+yaml";
      append_query(target, "fieldManager", opts_.field_manager);
      if (force)
        append_query(target, "force", "true");
      idempotent = true;
      break;
    }
    start_json("patch", type, "PATCH", target, body.dump(), std::move(headers), idempotent, std::move(done), false);
  }

  void remove(const resource_type& type, const std::string& ns, const std::string& name, const delete_options& opts,
              json_callback done) override {
    json body = json::object();
    body["apiVersion"] = "v1";
    body["kind"] = "DeleteOptions";
    if (!opts.propagation_policy.empty())
      body["propagationPolicy"] = opts.propagation_policy;
    if (!opts.precondition_uid.empty())
      body["preconditions"]["uid"] = opts.precondition_uid;
    if (!opts.precondition_resource_version.empty())
      body["preconditions"]["resourceVersion"] = opts.precondition_resource_version;
    if (opts.grace_period_seconds)
      body["gracePeriodSeconds"] = *opts.grace_period_seconds;
    start_json("delete", type, "DELETE", object_path(type, ns_for(type, ns), name), body.dump(), {}, true, std::move(done),
               false, /*any_object=*/true);
  }

  std::shared_ptr<http::stream_handle> watch(const resource_type& type, const std::string& ns, const watch_options& opts,
                                             watch_callbacks cbs) override;

  void schedule(std::chrono::milliseconds delay, std::function<void()> fn) override { http_->schedule(delay, std::move(fn)); }
  request_metrics& metrics() override { return *metrics_; }
  void stop() override { http_->stop(); }

private:
  std::string ns_for(const resource_type& type, const std::string& ns, const json& object = {}) const {
    if (!type.namespaced)
      return "";
    if (!ns.empty())
      return ns;
    if (object.is_object())
      if (auto md = object.find("metadata"); md != object.end() && md->is_object())
        if (auto n = md->find("namespace"); n != md->end() && n->is_string())
          return n->get<std::string>();
    return config_.default_namespace;
  }

  void put(const resource_type& type, const std::string& ns, json object, const std::string& sub, json_callback done) {
    std::string name;
    if (auto md = object.find("metadata"); md != object.end() && md->is_object() && md->contains("name") &&
                                           (*md)["name"].is_string())
      name = (*md)["name"].get<std::string>();
    if (name.empty()) {
      api_error e;
      e.kind = api_error_kind::invalid;
      e.reason = "Invalid";
      e.message = "update " + type.resource + ": metadata.name is required";
      return done(e);
    }
    if (!object.contains("apiVersion") && !type.kind.empty()) {
      object["apiVersion"] = type.api_version();
      object["kind"] = type.kind;
    }
    // PUT carries the resourceVersion precondition: resending after success yields Conflict, never a
    // silent double write, which is why it counts as idempotent.
    start_json("update", type, "PUT", object_path(type, ns_for(type, ns, object), name, sub), object.dump(), {}, true,
               std::move(done), false);
  }

  static void next_page(std::shared_ptr<client_impl> self, resource_type type, std::string ns, list_options opts,
                        std::shared_ptr<json> acc, json_callback done, bool restarted) {
    self->list(type, ns, opts, [w = self->weak_self(), type, ns, opts, acc, done, restarted](api_result<json> r) mutable {
      auto self = w.lock();
      if (!self)
        return done(transport_error("list " + type.resource + ": client stopped"));
      if (!r.is_ok()) {
        // An expired continue token: the snapshot is gone, start over once.
        if (r.is(api_error_kind::gone) && !opts.continue_token.empty() && !restarted) {
          opts.continue_token.clear();
          *acc = json{};
          return next_page(self, type, ns, opts, acc, std::move(done), true);
        }
        self.reset(); // see transmit(): no strong reference while the caller's callback runs
        return done(r.error());
      }
      json& page = r.value();
      if (acc->is_null()) {
        *acc = page;
        (*acc)["items"] = json::array();
      }
      for (auto& item : page["items"])
        (*acc)["items"].push_back(std::move(item));
      // The page is the server's: a metadata of another type must not throw on this I/O thread.
      std::string cont = model::string_or(page, "/metadata/continue"_json_pointer);
      if (cont.empty()) {
        if (auto& md = (*acc)["metadata"]; md.is_object()) {
          md.erase("continue");
          md.erase("remainingItemCount");
        }
        self.reset();
        return done(std::move(*acc));
      }
      opts.continue_token = cont;
      next_page(self, type, ns, opts, acc, std::move(done), restarted);
    });
  }

  void start_json(const char* verb, const resource_type& type, const char* method, std::string target, std::string body,
                  http::header_map headers, bool idempotent, json_callback done, bool is_list, bool any_object = false) {
    auto c = std::make_shared<call>();
    c->verb = verb;
    c->resource = type.resource;
    c->req.method = method;
    c->req.target = std::move(target);
    c->req.body = std::move(body);
    c->req.headers = std::move(headers);
    c->req.headers["accept"] = "application/json";
    c->req.headers["user-agent"] = opts_.user_agent;
    c->req.timeout = opts_.timeout;
    // Status writes and Events wait behind every other request: what the cluster needs first (a broker's
    // pod, its config) is not queued behind reports about it.
    auto path = std::string_view{c->req.target}.substr(0, c->req.target.find('?'));
    c->req.background = type.resource == "events" || (path.size() > 7 && path.substr(path.size() - 7) == "/status");
    c->idempotent = idempotent;
    c->done = [done = std::move(done), is_list, any_object](api_result<http::response> r) {
      if (!r.is_ok())
        return done(r.error());
      auto decoded = is_list ? decode_list(r.value().body) : decode_object(r.value().body);
      if (!decoded.is_ok()) {
        if (any_object) { // a delete may answer with a Status without metadata
          auto doc = json::parse(r.value().body, nullptr, false);
          if (doc.is_object())
            return done(std::move(doc));
        }
        return done(decode_error(decoded.error()));
      }
      done(std::move(decoded.value()));
    };
    send(c);
  }

  void send(const std::shared_ptr<call>& c) {
    if (limiter_.enabled()) {
      if (auto wait = limiter_.reserve(); wait.count() > 0) {
        return http_->schedule(wait, [w = weak_self(), c] {
          if (auto self = w.lock())
            self->transmit(c);
        });
      }
    }
    transmit(c);
  }

  void transmit(const std::shared_ptr<call>& c) {
    if (auto token = tokens_.current(); !token.empty())
      c->req.headers["authorization"] = "Bearer " + token;
    c->started = clock::now();
    http_->send(c->req, [w = weak_self(), c](model::result<http::response> r) {
      std::optional<api_result<http::response>> outcome;
      if (auto self = w.lock())
        outcome = self->on_response(c, std::move(r));
      else
        outcome = api_result<http::response>{transport_error(c->verb + " " + c->resource + ": client stopped")};
      // Called with no strong reference held here: the caller may drop its last one in the callback, and
      // the client must then be destroyed on the caller's thread, not on this I/O thread.
      if (outcome)
        c->done(std::move(*outcome));
    });
  }

  /// What to tell the caller, or nothing when the request is being retried.
  std::optional<api_result<http::response>> on_response(const std::shared_ptr<call>& c, model::result<http::response> r) {
    metrics_->observe(c->verb, c->resource, r.is_ok() ? r.value().status : 0, clock::now() - c->started);
    if (!r.is_ok()) {
      auto e = transport_error(r.error().message());
      if (c->idempotent && c->attempt < opts_.max_retries)
        return retry(c, backoff(c->attempt));
      return api_result<http::response>{e};
    }
    auto& res = r.value();
    if (res.status < 400)
      return api_result<http::response>{std::move(res)};
    auto e = error_from_response(res.status, res.body, header(res, "retry-after"));
    if (e.kind == api_error_kind::unauthorized && !c->reauthenticated) {
      // The token file may have rotated since it was read.
      c->reauthenticated = true;
      tokens_.invalidate();
      transmit(c);
      return std::nullopt;
    }
    if (c->attempt < opts_.max_retries) {
      // 429: the request was not processed, whatever the verb.
      if (e.kind == api_error_kind::too_many_requests)
        return retry(c, std::min(std::max(e.retry_after, backoff(c->attempt)), opts_.retry_after_max));
      if (c->idempotent && (res.status == 500 || res.status == 502 || res.status == 503 || res.status == 504))
        return retry(c, std::min(std::max(e.retry_after, backoff(c->attempt)), opts_.retry_after_max));
    }
    return api_result<http::response>{std::move(e)};
  }

  std::nullopt_t retry(const std::shared_ptr<call>& c, std::chrono::milliseconds delay) {
    ++c->attempt;
    http_->schedule(delay, [w = weak_self(), c] {
      if (auto self = w.lock())
        self->send(c);
    });
    return std::nullopt;
  }

  std::chrono::milliseconds backoff(int attempt) {
    double base = double(opts_.backoff_base.count()) * std::pow(2.0, std::min(attempt, 20));
    base = std::min(base, double(opts_.backoff_max.count()));
    std::lock_guard lock(rng_mutex_);
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    return std::chrono::milliseconds{int64_t(base * jitter(rng_))};
  }

  client_config config_;
  kube_client_options opts_;
  std::shared_ptr<http::async_client> http_;
  token_source tokens_;
  rate_limiter limiter_;
  std::shared_ptr<request_metrics> metrics_;
  std::mutex rng_mutex_;
  std::mt19937_64 rng_;
};

/// The state of one watch stream: decodes lines, ends exactly once.
struct watch_state {
  watch_callbacks cbs;
  bool finished = false;
  int status = 0;
  void end(std::optional<api_error> e) {
    if (finished)
      return;
    finished = true;
    if (cbs.on_end)
      cbs.on_end(std::move(e));
  }
};

std::shared_ptr<http::stream_handle> client_impl::watch(const resource_type& type, const std::string& ns,
                                                        const watch_options& opts, watch_callbacks cbs) {
  std::string target = collection_path(type, ns);
  append_query(target, "watch", "true");
  append_query(target, "labelSelector", opts.label_selector);
  append_query(target, "fieldSelector", opts.field_selector);
  append_query(target, "resourceVersion", opts.resource_version);
  if (opts.bookmarks)
    append_query(target, "allowWatchBookmarks", "true");
  append_query(target, "timeoutSeconds", std::to_string(opts.timeout.count()));
  http::outgoing_request req;
  req.target = std::move(target);
  req.headers["accept"] = "application/json";
  req.headers["user-agent"] = opts_.user_agent;
  if (auto token = tokens_.current(); !token.empty())
    req.headers["authorization"] = "Bearer " + token;
  // The server ends the watch after timeoutSeconds and sends bookmarks meanwhile; silence well beyond
  // that means a dead connection.
  req.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(opts.timeout) + std::chrono::seconds{30};
  auto state = std::make_shared<watch_state>();
  state->cbs = std::move(cbs);
  auto started = clock::now();
  auto w = weak_self();
  std::string resource = type.resource;
  http::stream_callbacks sc;
  sc.on_headers = [w, state, started, resource](int status) {
    state->status = status;
    auto self = w.lock();
    if (!self)
      return;
    self->metrics_->observe("watch", resource, status, clock::now() - started);
    if (status == 401)
      self->tokens_.invalidate(); // the next watch re-reads a rotated token
  };
  sc.on_line = [state](std::string_view line) {
    if (line.empty() || line == "\r")
      return true;
    auto ev = decode_watch_event(line);
    if (!ev.is_ok()) {
      state->end(decode_error(ev.error()));
      return false;
    }
    if (ev.value().type == watch_event_type::error) {
      const auto& obj = ev.value().object;
      auto code = model::int_or(obj, "code", 500);
      if (code < 100 || code > 599)
        code = 500; // not an HTTP status: treat as the server's failure
      state->end(error_from_response(static_cast<int>(code), obj.dump(), ""));
      return false;
    }
    if (!state->cbs.on_event(std::move(ev.value()))) {
      state->finished = true; // the reader stopped: no on_end
      return false;
    }
    return true;
  };
  sc.on_end = [w, state, started, resource](model::status why, int status, std::string error_body) {
    if (status >= 400)
      return state->end(error_from_response(status, error_body, ""));
    if (!why.is_ok()) {
      if (auto self = w.lock(); self && state->status == 0)
        self->metrics_->observe("watch", resource, 0, clock::now() - started);
      return state->end(transport_error(why.message()));
    }
    state->end(std::nullopt);
  };
  return http_->stream(std::move(req), std::move(sc));
}

} // namespace

model::result<std::shared_ptr<kube_client>> kube_client::make(client_config config, kube_client_options options) {
  auto endpoint = config.endpoint;
  endpoint.max_in_flight = size_t(std::max(1, options.max_in_flight));
  auto http = http::make_async_client(std::move(endpoint));
  if (!http.is_ok())
    return model::status::invalid(config.source + ": " + http.error().message());
  return std::shared_ptr<kube_client>(std::make_shared<client_impl>(std::move(config), std::move(options), std::move(http.value())));
}

} // namespace kactor::integrations::kubernetes
