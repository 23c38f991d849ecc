// `kactor run`: the in-cluster controller. Loads the Kubernetes config (--kubeconfig, $KUBECONFIG,
// in-cluster, ~/.kube/config), serves /metrics (Prometheus text: controller-runtime's reconcile and
// work-queue names, kactor's broker and roll gauges, the API client's request counts) and /healthz,
// /readyz (ready once the operator's caches have synced, or while standing by for the leader Lease),
// optionally takes part in leader election on a Lease, and runs the operator while leading, talking to
// each KafkaCluster's brokers through librdkafka and to its Cruise Control over REST (graceful scaling and
// disks through CruiseControlOperations, whose CRD must be installed), and receives Alertmanager's webhooks
// (--alerts-addr).
//
// SIGINT/SIGTERM: stop reconciling, release the Lease, exit 0 within seconds. Losing the Lease (renewals
// failing past the deadline) exits 1, as controller-runtime does, so Kubernetes restarts a clean process.
// Exit 2 for bad options; 1 when the config, a listener or the operator cannot start.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "integrations/kubernetes/kube_client.hpp"
#include "runtime/cli/alert_flags.hpp"

namespace kactor::runtime {

struct run_options {
  std::string kubeconfig;
  std::string context;
  std::vector<std::string> namespaces;       ///< empty: all namespaces
  bool leader_election = false;
  std::string leader_election_namespace;     ///< "" → $POD_NAMESPACE, the service account's, or "default"
  std::string leader_election_id = "kactor-leader";
  std::string metrics_addr = ":8080";        ///< "0" disables
  std::string health_addr = ":8081";         ///< "0" disables
  alert_flags alerts{"127.0.0.1:9001"};
  integrations::kubernetes::kube_client_options client; ///< the operator's client (runtime/cli/kube_client_flags.hpp)     ///< the alert receiver (runtime/cli/alert_flags.hpp)
  /// Cruise Control for every cluster ("http://host:port[/prefix]"); "": each cluster's
  /// cruiseControlConfig.cruiseControlEndpoint, else Koperator's "<cluster>-cruisecontrol-svc" on port 8090.
  std::string cruise_control_endpoint;
  bool disable_cruise_control = false; ///< no Cruise Control: broker and disk removals wait, visibly
  /// Credentials for Cruise Control's REST API, read once at start (a cluster's
  /// cruiseControlConfig.credentialsSecretRef replaces them for that cluster). Files, never values: a
  /// password on the command line is any local user's to read in /proc.
  std::string cruise_control_ca_file;       ///< PEM: the CAs the server certificate must chain to
  std::string cruise_control_cert_file, cruise_control_key_file; ///< PEM: kactor's client certificate
  std::string cruise_control_username;      ///< basic authentication, with the password file's first line
  std::string cruise_control_password_file;
  std::string log_format = "text";
  bool verbose = false;
};

int run_command(const run_options& opts, std::ostream& out, std::ostream& err);

} // namespace kactor::runtime
