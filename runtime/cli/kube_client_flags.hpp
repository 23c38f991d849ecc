// The operator's Kubernetes client flags, shared by `kactor run` and `kactor sim --serve`:
// --kube-api-qps, --kube-api-burst, --kube-api-max-in-flight.
//
// The defaults and why (docs/operating.md, "API server load"): no requests-per-second limit, as
// controller-runtime since v0.21 (its PR #3119, on SIG API Machinery's advice for Kubernetes ≥ 1.22):
// the API server's Priority and Fairness protects it and answers 429 with Retry-After, which the client
// honours. What bounds kactor instead is concurrency: at most 32 requests in flight per client (the
// operator has two: the actors' and the watch caches'), so a burst of thousands of writes queues in the
// operator, not in the API server's queues, where it would crowd out other clients of its priority level.
// A cluster admin who wants a rate cap as well sets --kube-api-qps (and --kube-api-burst).
#pragma once

#include "integrations/kubernetes/kube_client.hpp"

namespace CLI {
class App;
}

namespace kactor::runtime {

/// Adds the flags to `app`; they write into `client`.
void add_kube_client_flags(CLI::App& app, integrations::kubernetes::kube_client_options& client);

} // namespace kactor::runtime
