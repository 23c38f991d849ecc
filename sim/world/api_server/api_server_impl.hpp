// The simulated API server's implementation (api_server.hpp), internal to sim/world/api_server/: the
// class behind api_server::start and the helpers its files share. Its members live by concern —
//   api_server.cpp           lifecycle, the request dispatch (auth, faults, discovery, the /sim/ endpoints);
//   api_server_requests.cpp  requests on resources: get, list, create, update, patch, delete;
//   api_server_watches.cpp   watch streams and the housekeeping thread (timeouts, bookmarks, delayed answers);
//   api_server_auth.cpp      who sent a request (the admin token, ServiceAccount tokens), RBAC, TokenRequest.
// Threads: requests arrive on the HTTP server's threads; watches_mutex_ guards the watches and the delayed
// and hung requests, audit_mutex_ the audit, tokens_mutex_ the ServiceAccount tokens; the object store
// locks itself.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <variant>
#include <vector>

#include "sim/world/api_server/api_faults.hpp"
#include "sim/world/api_server/api_path.hpp"
#include "sim/world/api_server/api_server.hpp"
#include "sim/world/api_server/rbac_authorizer.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim::detail {

using clock = std::chrono::steady_clock;

/// A JSON response with `status`.
http::response json_response(int status, const json& body);
/// The Kubernetes Status object of `e` as a response.
http::response error_response(const api_error& e);
/// A request header by its lower-case name, "" when absent.
std::string header(const http::request& r, const std::string& name);
// Reads a request body as JSON (or YAML for apply patches); errors name what is wrong.
std::variant<json, api_error> parse_body(const http::request& r, bool yaml_allowed);

struct open_watch {
  std::unique_ptr<watch_handle> handle;
  std::shared_ptr<http::stream> stream;
  std::string resource_key, api_version, kind;
  std::optional<clock::time_point> deadline;
};

class api_server_impl final : public api_server {
public:
  explicit api_server_impl(api_server_options opts);

  ~api_server_impl() override { stop(); }

  model::status listen();

  uint16_t port() const override { return http_->port(); }
  std::string url() const override {
    return std::string{opts_.tls ? "https" : "http"} + "://" + opts_.address + ":" + std::to_string(port());
  }
  object_store& store() override { return *store_; }
  resource_registry& registry() override { return *registry_; }

  std::string kubeconfig(const std::string& ca_file) const override;

  void drop_watches() override;
  size_t open_watches() const override;

  void set_api_faults(std::vector<api_fault_rule> rules) override { faults_.set(std::move(rules)); }

  void add_admin_route(const std::string& name, admin_route route) override {
    admin_routes_["/sim/" + name] = std::move(route);
  }

  std::string service_account_token(const std::string& ns, const std::string& name) override;
  flow_stats flow_stats_of(const std::string& flow) const override { return flow_.stats_of(flow); }

  void stop() override;

private:
  // Authentication, RBAC and TokenRequest (api_server_auth.cpp). A caller is nullopt for the admin (the
  // --token, or anyone when the server has none), else the ServiceAccount's user.
  using caller = std::optional<user_info>;
  std::variant<caller, api_error> authenticate(const http::request& req) const;
  std::optional<api_error> check_access(const user_info& user, const std::string& method, const target& t) const;
  rbac_policy policy_for(const std::string& ns) const;
  http::response token_request(const http::request& req, const resource_path& rp);

  void handle(std::shared_ptr<http::exchange> ex);

  // The simulation's own endpoints (not Kubernetes API): counters and fault switches for tests and users.
  http::response admin(const std::string& method, const std::string& path, const std::string& body);
  std::optional<json> discovery(const std::string& path) const;

  // Requests on resources (api_server_requests.cpp).
  http::response serve(const http::request& req, const resource_type& type, const resource_path& rp,
                       const query_map& q);
  http::response reply(const store_result& r, int code, const resource_type& type, const http::request& req);
  http::response list(const resource_type& type, const resource_path& rp, const query_map& q,
                      const http::request& req);
  http::response patch(const http::request& req, const resource_type& type, const resource_path& rp,
                       const query_map& q, bool status);
  static delete_options delete_opts(const http::request& req, const query_map& q);
  http::response delete_collection(const http::request& req, const resource_type& type, const resource_path& rp,
                                   const query_map& q);

  // Watches and the housekeeping thread (api_server_watches.cpp).
  void start_watch(const std::shared_ptr<http::exchange>& ex, const resource_type& type, const resource_path& rp,
                   const query_map& q);
  void housekeeping();
  /// Runs `task` on a worker after `delay` (latency faults, the load model).
  void after(std::chrono::microseconds delay, std::function<void()> task);
  void worker();

  // The load model (api_server.cpp): admits `proceed` through flow control, answers it after its latency.
  // `key` is "verb resource namespace" (the verb decides the cost; the key names the latency last drawn).
  void admit(const std::shared_ptr<http::exchange>& ex, const std::string& flow, const std::string& key, size_t objects,
             std::chrono::milliseconds extra, std::function<void()> proceed);
  void start_all(std::vector<flow_control::start_fn> started);

  api_server_options opts_;
  std::shared_ptr<resource_registry> registry_;
  std::unique_ptr<object_store> store_;
  std::unique_ptr<http::server> http_;
  mutable std::mutex watches_mutex_;
  std::condition_variable wake_;
  std::list<open_watch> watches_;
  std::thread housekeeper_;
  std::atomic<bool> stopping_{false};
  std::map<std::string, admin_route> admin_routes_;
  /// Every distinct (user agent, verb, group, resource[/subresource], namespace) served: what an RBAC
  /// role must allow (GET /sim/requests).
  std::mutex audit_mutex_;
  std::set<std::tuple<std::string, std::string, std::string, std::string, std::string>> audit_;

  void record_request(const http::request& req, const std::string& verb, const resource_path& rp);
  api_faults faults_;
  /// A ServiceAccount token's holder: the account and its uid (a recreated account's old tokens are void).
  struct token_holder {
    std::string namespace_, name, uid;
  };
  mutable std::mutex tokens_mutex_;
  std::map<std::string, token_holder> tokens_;
  std::multimap<clock::time_point, std::function<void()>> delayed_; ///< requests answered late (latency, load)
  std::vector<std::thread> workers_;         ///< run delayed_ tasks when due (serving is work: not on housekeeping)
  std::deque<std::function<void()>> ready_;  ///< due tasks, under watches_mutex_
  std::condition_variable ready_cv_;
  flow_control flow_;
  std::mutex latency_mutex_;
  std::map<std::string, double> last_latency_ms_; ///< "verb resource namespace" → the latency last drawn
  std::vector<std::shared_ptr<http::exchange>> hung_;               ///< requests never answered (hang faults)
};

} // namespace kactor::sim::detail
