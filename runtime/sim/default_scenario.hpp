// `kactor sim` with no scenario file: the embedded default scenario, end to end in seconds. It starts the
// simulated control plane and the operator, applies the deploy/ sample (three brokers, one with its own
// resources and a second disk), and walks through a timeline — a rolling config change, one broker's
// resources, a pod deleted by hand, a killed container, a node lost and back, a crashed broker actor, an
// operator restart — checking invariants on every pod and PVC change:
//   - at most one broker is down because of the operator at any moment (faults excepted),
//   - no broker ever has two pods, no PVC is ever deleted,
//   - each step converges (status ClusterRunning, every broker ConfigInSync) within its bound,
//   - only the brokers a step concerns are restarted, each once,
//   - an idle operator writes nothing.
// Prints progress and a summary; returns whether every invariant held.
#pragma once

#include <iosfwd>

namespace kactor::runtime {

/// Runs the default scenario; true when every invariant held.
bool run_default_scenario(std::ostream& out);

} // namespace kactor::runtime
