#include "runtime/cli/kube_client_flags.hpp"

#include <CLI/CLI.hpp>

namespace kactor::runtime {

void add_kube_client_flags(CLI::App& app, integrations::kubernetes::kube_client_options& client) {
  app.add_option("--kube-api-qps", client.qps,
                 "Requests per second to the Kubernetes API, per client (0: no limit; the API server's Priority "
                 "and Fairness and --kube-api-max-in-flight bound the load)")
      ->default_val(0)
      ->check(CLI::NonNegativeNumber);
  app.add_option("--kube-api-burst", client.burst, "Requests allowed at once above --kube-api-qps (default: the qps)")
      ->default_val(0)
      ->check(CLI::NonNegativeNumber);
  app.add_option("--kube-api-max-in-flight", client.max_in_flight,
                 "Requests to the Kubernetes API in flight at once, per client (watches not counted); the rest wait "
                 "in the operator")
      ->default_val(32)
      ->check(CLI::Range(1, 10000));
}

} // namespace kactor::runtime
