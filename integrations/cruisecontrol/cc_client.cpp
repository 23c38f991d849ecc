#include "integrations/cruisecontrol/cc_client.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>

#include "integrations/cruisecontrol/cc_responses.hpp"
#include "integrations/cruisecontrol/detail/cc_requests.hpp"
#include "integrations/http/address.hpp"
#include "integrations/http/async_client.hpp"

namespace kactor::integrations::cruisecontrol {

namespace {

using clock = std::chrono::steady_clock;
using detail::cc_request;
using answer_callback = std::function<void(cc_result<http::response>)>;

std::string header(const http::response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (std::equal(k.begin(), k.end(), name.begin(), name.end(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return v;
  return {};
}

/// An endpoint without trailing slashes: "https://cc:8090/" and "https://cc:8090" name the same one.
std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

cc_error make_error(cc_error::kind k, std::string message, int status = 0) {
  cc_error e;
  e.what = k;
  e.message = std::move(message);
  e.http_status = status;
  return e;
}

/// `e` with the call's description in front: "add_broker at http://cc:8090/kafkacruisecontrol: HTTP 500: ...".
cc_error prefixed(const std::string& what, cc_error e) {
  e.message = what + ": " + (e.http_status > 0 ? "HTTP " + std::to_string(e.http_status) + ": " : "") + e.message;
  return e;
}

/// One request in flight, with what a GET answered with 202 needs to be asked again.
struct call {
  cc_request req;
  std::string what; ///< "state at http://...": the prefix of every error message
  clock::time_point deadline;
  answer_callback done;
};

class client_impl final : public std::enable_shared_from_this<client_impl> {
public:
  client_impl(client_options opts, detail::endpoint_url url, std::shared_ptr<http::async_client> http)
      : opts_(std::move(opts)), url_(std::move(url)), http_(std::move(http)) {
    base_url_ = std::string{url_.tls ? "https://" : "http://"} +
                (url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host) + ":" +
                std::to_string(url_.port) + url_.base_path;
    if (!opts_.username.empty() || !opts_.password.empty())
      authorization_ = "Basic " + detail::base64(opts_.username + ":" + opts_.password);
  }

  // Callbacks hold only weak references, so the last strong one stays with the handle and the I/O thread
  // is never joined from itself.
  ~client_impl() { http_->stop(); }

  /// Sends a GET and decodes a 200 answer with `decode`; any other status is an error.
  template <class T>
  void get(cc_request req, cc_result<T> (*decode)(std::string_view), cruise_control::callback<T> cb) {
    std::string what = describe(req);
    start(std::move(req), what, [cb = std::move(cb), decode, what](cc_result<http::response> r) {
      if (!r.is_ok())
        return cb(r.error());
      const auto& res = r.value();
      if (res.status != 200)
        return cb(prefixed(what, res.status >= 400 ? parse_error(res.status, res.body)
                                                   : make_error(cc_error::kind::server_error,
                                                                "unexpected status", res.status)));
      auto v = decode(res.body);
      if (!v.is_ok())
        return cb(prefixed(what, v.error()));
      cb(std::move(v));
    });
  }

  /// Sends an operation (a POST); a request refused before sending fails at once.
  void operation(cc_result<cc_request> req, cruise_control::callback<operation_result> cb) {
    if (!req.is_ok())
      return cb(prefixed("cruise control at " + base_url_, req.error()));
    std::string what = describe(req.value());
    start(std::move(req.value()), what, [cb = std::move(cb), what](cc_result<http::response> r) {
      if (!r.is_ok())
        return cb(r.error());
      auto& res = r.value();
      auto out = parse_operation_result(res.status, res.body, header(res, "User-Task-ID"));
      if (!out.is_ok())
        return cb(prefixed(what, out.error()));
      cb(std::move(out));
    });
  }

  void user_tasks(std::vector<std::string> ids, cruise_control::callback<std::vector<user_task>> cb) {
    std::string what = "user_tasks at " + base_url_;
    get<std::vector<user_task>>(detail::user_tasks_request(ids), parse_user_tasks,
                                [ids, what, cb = std::move(cb)](cc_result<std::vector<user_task>> r) {
      if (!r.is_ok())
        return cb(std::move(r));
      // CC answers an id it does not know (restarted, evicted) with nothing rather than an error.
      std::string missing;
      for (const auto& id : ids)
        if (std::none_of(r.value().begin(), r.value().end(), [&](const user_task& t) { return t.id == id; }))
          missing += (missing.empty() ? "" : ", ") + id;
      if (!missing.empty())
        return cb(make_error(cc_error::kind::not_found,
                             what + ": user task " + missing + " unknown to Cruise Control (restarted or evicted)"));
      cb(std::move(r));
    });
  }

  void stop() {
    stopped_ = true;
    http_->stop(); // in-flight requests fail on the I/O thread, which is joined
    std::map<uint64_t, std::shared_ptr<call>> waiting;
    {
      std::lock_guard lock(mutex_);
      waiting.swap(waiting_);
    }
    // GETs waiting for their follow-up: the transport dropped their timers, so they are failed here.
    for (auto& [id, c] : waiting)
      c->done(stopped_error(*c));
  }

  const std::string& base_url() const { return base_url_; }

private:
  std::string describe(const cc_request& req) const { return req.endpoint + " at " + base_url_; }

  cc_error stopped_error(const call& c) const {
    return make_error(cc_error::kind::unavailable, c.what + ": client stopped");
  }

  void start(cc_request req, std::string what, answer_callback done) {
    auto c = std::make_shared<call>();
    c->req = std::move(req);
    c->what = std::move(what);
    c->deadline = clock::now() + opts_.timeout;
    c->done = std::move(done);
    if (stopped_)
      return c->done(stopped_error(*c));
    transmit(c);
  }

  void transmit(const std::shared_ptr<call>& c) {
    http::outgoing_request out;
    out.method = c->req.method;
    out.target = c->req.target(url_.base_path);
    out.headers["accept"] = "application/json";
    out.headers["user-agent"] = opts_.user_agent;
    if (!authorization_.empty())
      out.headers["authorization"] = authorization_;
    if (!c->req.user_task_id.empty())
      out.headers["user-task-id"] = c->req.user_task_id;
    // A follow-up gets what is left of the first attempt's budget, so a GET is bounded by one timeout.
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(c->deadline - clock::now());
    out.timeout = std::clamp(left, std::chrono::milliseconds{1}, opts_.timeout);
    http_->send(std::move(out), [w = weak_from_this(), c](model::result<http::response> r) {
      std::optional<cc_result<http::response>> outcome;
      if (auto self = w.lock())
        outcome = self->on_answer(c, std::move(r));
      else
        outcome = cc_result<http::response>{make_error(cc_error::kind::unavailable, c->what + ": client stopped")};
      // No strong reference is held here: the caller may drop the client from its callback.
      if (outcome)
        c->done(std::move(*outcome));
    });
  }

  /// What to tell the caller, or nothing when a GET is asked again.
  std::optional<cc_result<http::response>> on_answer(const std::shared_ptr<call>& c, model::result<http::response> r) {
    if (!r.is_ok())
      return cc_result<http::response>{
          stopped_ ? stopped_error(*c) : make_error(cc_error::kind::unavailable, c->what + ": " + r.error().message())};
    auto& res = r.value();
    if (res.status != 202 || c->req.method != "GET")
      return cc_result<http::response>{std::move(res)};
    // CC still computes the answer: ask for the same task again (a new request would start another one).
    std::string task = header(res, "User-Task-ID");
    if (task.empty() || clock::now() + opts_.poll_interval >= c->deadline)
      return cc_result<http::response>{make_error(
          cc_error::kind::not_ready,
          c->what + ": still computing after " + std::to_string(opts_.timeout.count()) + " ms" +
              (task.empty() ? " (no User-Task-ID to follow)" : " (User-Task-ID " + task + ")"),
          202)};
    c->req.user_task_id = task;
    uint64_t id = 0;
    {
      std::lock_guard lock(mutex_);
      id = ++next_id_;
      waiting_.emplace(id, c);
    }
    http_->schedule(opts_.poll_interval, [w = weak_from_this(), id] {
      if (auto self = w.lock())
        if (auto c = self->take_waiting(id))
          self->transmit(c);
    });
    return std::nullopt;
  }

  std::shared_ptr<call> take_waiting(uint64_t id) {
    std::lock_guard lock(mutex_);
    auto it = waiting_.find(id);
    if (it == waiting_.end())
      return nullptr; // stop() took it
    auto c = std::move(it->second);
    waiting_.erase(it);
    return c;
  }

  client_options opts_;
  detail::endpoint_url url_;
  std::shared_ptr<http::async_client> http_;
  std::string base_url_;      ///< "http://host:port/kafkacruisecontrol", for messages
  std::string authorization_; ///< the basic-auth header value, or ""
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::map<uint64_t, std::shared_ptr<call>> waiting_; ///< GETs between a 202 and their follow-up
  uint64_t next_id_ = 0;
};

/// What the factory hands out: owns the implementation, whose callbacks hold only weak references.
class client_handle final : public cruise_control {
public:
  explicit client_handle(std::shared_ptr<client_impl> impl) : impl_(std::move(impl)) {}
  ~client_handle() override { impl_->stop(); }

  void state(callback<cc_state> cb) override { impl_->get(detail::state_request(), parse_state, std::move(cb)); }
  void kafka_cluster_state(callback<cruisecontrol::kafka_cluster_state> cb) override {
    impl_->get(detail::kafka_cluster_state_request(), parse_kafka_cluster_state, std::move(cb));
  }
  void load(callback<std::vector<broker_load>> cb) override {
    impl_->get(detail::load_request(), parse_load, std::move(cb));
  }
  void user_tasks(std::vector<std::string> ids, callback<std::vector<user_task>> cb) override {
    impl_->user_tasks(std::move(ids), std::move(cb));
  }
  void add_broker(std::vector<int32_t> ids, operation_options o, callback<operation_result> cb) override {
    impl_->operation(detail::add_broker_request(ids, o), std::move(cb));
  }
  void remove_broker(std::vector<int32_t> ids, operation_options o, callback<operation_result> cb) override {
    impl_->operation(detail::remove_broker_request(ids, o), std::move(cb));
  }
  void rebalance(std::vector<int32_t> destination_ids, bool rebalance_disk, operation_options o,
                 callback<operation_result> cb) override {
    impl_->operation(detail::rebalance_request(destination_ids, rebalance_disk, o), std::move(cb));
  }
  void remove_disks(std::map<int32_t, std::vector<std::string>> dirs, operation_options o,
                    callback<operation_result> cb) override {
    impl_->operation(detail::remove_disks_request(dirs, o), std::move(cb));
  }
  void demote_broker(std::vector<int32_t> ids, operation_options o, callback<operation_result> cb) override {
    impl_->operation(detail::demote_broker_request(ids, o), std::move(cb));
  }
  void stop_proposal_execution(callback<operation_result> cb) override {
    impl_->operation(detail::stop_proposal_execution_request(), std::move(cb));
  }
  void stop() override { impl_->stop(); }

private:
  std::shared_ptr<client_impl> impl_;
};

} // namespace

model::status credentials_allowed(const std::string& endpoint, const model::cruise_control_credentials& c) {
  auto url = detail::parse_endpoint(endpoint, "");
  if (!url.is_ok())
    return url.error();
  // Basic authentication sends the password with every request: in clear over http, it is anyone's on the
  // path. Only a loopback endpoint (a port-forward, a sidecar) may take it without TLS.
  if ((!c.username.empty() || !c.password.empty()) && !url.value().tls && !http::is_loopback(url.value().host))
    return model::status::invalid("basic authentication needs an https endpoint (over http the password would cross "
                                  "the network in clear)");
  if (!url.value().tls && (!c.ca_pem.empty() || !c.client_cert_pem.empty() || !c.client_key_pem.empty()))
    return model::status::invalid("a CA or client certificate is given for an http endpoint (it would be ignored and "
                                  "the traffic left in clear): use https");
  // A password goes only where its Secret says: whoever may edit the cluster's endpoint cannot redirect it.
  if (!c.password.empty() && !c.endpoint.empty() && trimmed(c.endpoint) != trimmed(endpoint))
    return model::status::invalid("the credentials are for " + c.endpoint + ", not this endpoint: the password is sent "
                                  "only there");
  return model::status::ok();
}

model::result<std::unique_ptr<cruise_control>> make_cruise_control_client(client_options options) {
  if (options.timeout.count() <= 0 || options.poll_interval.count() <= 0)
    return model::status::invalid("cruise control client: timeout and poll_interval must be positive");
  auto url = detail::parse_endpoint(options.endpoint, options.base_path);
  if (!url.is_ok())
    return url.error();
  if (auto st = credentials_allowed(options.endpoint, {options.ca_pem, options.client_cert_pem, options.client_key_pem,
                                                       options.username, options.password, ""});
      !st.is_ok())
    return model::status::invalid("cruise control client for " + options.endpoint + ": " + st.message());
  if (options.client_cert_pem.empty() != options.client_key_pem.empty())
    return model::status::invalid("cruise control client for " + options.endpoint
                                  + ": a client certificate needs both its certificate and its key");
  http::client_endpoint ep;
  ep.host = url.value().host;
  ep.port = url.value().port;
  ep.tls.enabled = url.value().tls;
  ep.tls.ca_pem = options.ca_pem;
  ep.tls.insecure_skip_verify = options.insecure_skip_verify;
  ep.tls.client_cert_pem = options.client_cert_pem;
  ep.tls.client_key_pem = options.client_key_pem;
  ep.tls.server_name = options.server_name;
  auto transport = http::make_async_client(std::move(ep));
  if (!transport.is_ok())
    return model::status::invalid("cruise control client for " + options.endpoint + ": " + transport.error().message());
  auto impl = std::make_shared<client_impl>(std::move(options), std::move(url.value()), std::move(transport.value()));
  return std::unique_ptr<cruise_control>(std::make_unique<client_handle>(std::move(impl)));
}

cruise_control_factory make_cruise_control_factory(client_options base, std::string endpoint_override) {
  struct cache {
    std::mutex mutex;
    std::map<std::string, std::weak_ptr<cruise_control>> clients;
  };
  auto shared = std::make_shared<cache>();
  return [shared, base = std::move(base), endpoint_override = std::move(endpoint_override)](
             const cluster_endpoint& c) -> std::shared_ptr<cruise_control> {
    auto o = base;
    o.endpoint = endpoint_override.empty() ? c.endpoint : endpoint_override;
    auto refuse = [&c](const std::string& why) -> std::shared_ptr<cruise_control> {
      if (c.on_error)
        c.on_error(why);
      return nullptr;
    };
    if (c.credentials) { // the cluster's own, as a whole: never half from the flags, half from a Secret
      o.ca_pem = c.credentials->ca_pem;
      o.client_cert_pem = c.credentials->client_cert_pem;
      o.client_key_pem = c.credentials->client_key_pem;
      o.username = c.credentials->username;
      o.password = c.credentials->password;
      if (auto st = credentials_allowed(o.endpoint, *c.credentials); !st.is_ok())
        return refuse("cruise control client for " + o.endpoint + ": " + st.message());
    } else if (!o.password.empty() && endpoint_override.empty()) {
      // The flags' password, without --cruise-control-endpoint, would go wherever a cluster's spec points.
      return refuse("the --cruise-control-* password is sent only to --cruise-control-endpoint, and none is set");
    }
    // One client per endpoint and credentials: clusters sharing a Cruise Control with other credentials (or
    // a rotated Secret) get their own.
    auto key = trimmed(o.endpoint) + "\n"
               + model::cruise_control_credentials{o.ca_pem, o.client_cert_pem, o.client_key_pem, o.username, o.password, ""}
                     .fingerprint();
    std::lock_guard lock(shared->mutex);
    if (auto existing = shared->clients[key].lock())
      return existing;
    auto made = make_cruise_control_client(o);
    if (!made.is_ok())
      return refuse(made.error().message());
    std::shared_ptr<cruise_control> client = std::move(made.value());
    std::erase_if(shared->clients, [](const auto& kv) { return kv.second.expired(); }); // rotated away
    shared->clients[key] = client;
    return client;
  };
}

} // namespace kactor::integrations::cruisecontrol
