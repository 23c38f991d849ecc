// The simulated Kubernetes API server: the REST API of the resources in resource_registry over HTTP(S),
// faithful enough that the real kubectl and client libraries work against it unchanged.
//
// start() listens on loopback (port 0: a free port), creates the "default" and "kube-system" namespaces
// and returns a running server. Requests are served on the HTTP server's I/O threads; a housekeeping
// thread closes watches whose timeoutSeconds passed or whose client left and sends BOOKMARKs. stop()
// (also run by the destructor) ends every watch and joins all threads. Fault rules (api_faults.hpp) are
// set with POST /sim/faults/api; compaction and dropped watches with /sim/faults/compact and
// /sim/faults/drop-watches. With api_server_options::load enabled, requests (not watches) take kube-apiserver's
// time and are held to its Priority and Fairness limits (flow_control.hpp); GET /sim/stats reports the
// queues and 429s. The store and registry stay
// reachable for tests and the simulation (fault injection, counters).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "integrations/http/server.hpp"
#include "model/status.hpp"
#include "sim/world/api_server/api_faults.hpp"
#include "sim/world/api_server/flow_control.hpp"
#include "sim/world/api_server/object_store.hpp"
#include "sim/world/api_server/resource_registry.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

/// How to run the simulated API server.
struct api_server_options {
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  std::optional<http::tls_files> tls;
  /// When set, every request needs `Authorization: Bearer <token>` or a ServiceAccount's token (else 401).
  /// This token (or no token, on a server without one) is all-powerful, like a cluster-admin kubeconfig;
  /// a ServiceAccount's token is held to RBAC (rbac_authorizer.hpp).
  std::optional<std::string> token;
  size_t history = 10000; ///< watch history (changes) before 410 Gone
  std::chrono::milliseconds bookmark_interval{5000};
  int threads = 2;
  uint64_t fault_seed = 1; ///< seeds the fault rules' coin (POST /sim/faults/api)
  /// Latency and API Priority and Fairness as kube-apiserver's (flow_control.hpp); off by default.
  flow_control_options load;
};

/// A running simulated API server.
class api_server {
public:
  static model::result<std::unique_ptr<api_server>> start(api_server_options opts);
  virtual ~api_server() = default;

  virtual uint16_t port() const = 0;
  /// "http://127.0.0.1:PORT" or https://...
  virtual std::string url() const = 0;
  virtual object_store& store() = 0;
  virtual resource_registry& registry() = 0;
  /// A kubeconfig (YAML) for kubectl; `ca_file` is embedded for TLS servers when given.
  virtual std::string kubeconfig(const std::string& ca_file = "") const = 0;
  /// Mints a bearer token authenticating as the ServiceAccount `ns`/`name` (the C++ side of TokenRequest,
  /// `kubectl create token`); "" when no such ServiceAccount exists. Valid while that account exists.
  virtual std::string service_account_token(const std::string& ns, const std::string& name) = 0;
  /// Closes every open watch stream (clients see their watch end and must resume).
  virtual void drop_watches() = 0;
  /// How many watch streams are registered now (a watch being set up is not counted until it is: tests wait
  /// for it before dropping, or the drop may miss it).
  virtual size_t open_watches() const = 0;
  /// Replaces the API fault rules (the C++ side of POST /sim/faults/api); an empty list clears them.
  virtual void set_api_faults(std::vector<api_fault_rule> rules) = 0;
  /// Serves `POST /sim/<name>` with `route` (its JSON body in, status code and JSON body out): how other
  /// simulated components (the kubelet's faults) expose their switches over HTTP. Call before traffic.
  /// `GET /sim/<name>?k=v` reaches the same route with the query as the body ({"k": "v"}).
  using admin_route = std::function<std::pair<int, json>(const json& body)>;
  virtual void add_admin_route(const std::string& name, admin_route route) = 0;
  /// What the load model (api_server_options::load) saw of the client whose User-Agent product is `flow`.
  virtual flow_stats flow_stats_of(const std::string& flow) const = 0;
  virtual void stop() = 0;
};

} // namespace kactor::sim
