// `kactor sim --serve`: runs the simulated control plane until SIGINT/SIGTERM, with kactor's operator
// inside (the KafkaCluster CRD installed) unless --no-operator. With --operator-serviceaccount NS/NAME the
// operator authenticates as that ServiceAccount (held to RBAC) and starts once the account exists.
//
// Prints the API server's URL, writes a kubeconfig for kubectl (--kubeconfig-out), and blocks the calling
// thread waiting for a signal; SIGINT and SIGTERM must be blocked in every thread before any thread starts
// (sim_command does it first thing). Exit code 0 after a signal, 2 for bad options, 1 when the server
// cannot start.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "integrations/kubernetes/kube_client.hpp"
#include "runtime/cli/alert_flags.hpp"

namespace kactor::runtime {

/// Options of `kactor sim`.
struct sim_options {
  bool serve = false;
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  std::string kubeconfig_out;
  std::optional<std::string> token;
  bool tls = false; ///< generate a self-signed certificate (kept beside --kubeconfig-out, or in a temp dir)
  std::string tls_cert;
  std::string tls_key;
  int nodes = 3; ///< simulated nodes node-1..N, spread over zone-a, zone-b, zone-c
  bool with_operator = true; ///< run kactor's operator against the simulated API server (KafkaCluster CRD installed)
  std::string watch_namespace; ///< the operator's namespace scope ("" all)
  /// "NS/NAME": the operator authenticates as this ServiceAccount (held to RBAC), starting once it exists;
  /// "": as the admin.
  std::string operator_account;
  alert_flags alerts{"0"};
  integrations::kubernetes::kube_client_options client; ///< the operator's client, as `kactor run` takes it
  /// The simulated API server's load model: "none" (answers at once) or "realistic" (sim/world/api_server/flow_control.hpp).
  std::string api_latency = "none";
  int api_max_requests_inflight = 400;
  int api_max_mutating_requests_inflight = 200; ///< the operator's alert receiver ("0": none), as `kactor run` takes it
  std::string log_format = "text"; ///< text or json
  std::string log_level = "info";
};

/// Runs `kactor sim`.
int sim_command(const sim_options& opts, std::ostream& out, std::ostream& err);

} // namespace kactor::runtime
