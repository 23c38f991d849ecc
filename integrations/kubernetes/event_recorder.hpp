// Records core/v1 Events about kactor's objects (what `kubectl describe` shows), like client-go's
// EventRecorder: type Normal or Warning, a CamelCase reason, a message and the involved object. The same
// (object, type, reason, message) repeated is aggregated into one Event whose count and lastTimestamp
// grow, instead of a new object each time. Asynchronous and best effort: a failure to record is logged
// in last_error(), never retried forever, never blocks. Thread-safe.
//
// An Event goes to the involved object's namespace ("default" for cluster-scoped objects); messages are
// cut to 1024 bytes; at most 4096 (object, type, reason, message) keys are remembered, the least recently
// used is forgotten first (its next occurrence starts a new Event). Writes complete on the client's I/O
// thread; repeats while a write is in flight are counted and sent when it completes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "integrations/kubernetes/api.hpp"
#include "integrations/kubernetes/kube_client.hpp"

namespace kactor::integrations::kubernetes {

class event_recorder : public event_sink {
public:
  /// `component` is the reporting controller, e.g. "kactor".
  event_recorder(std::shared_ptr<kube_client> client, std::string component);

  void record(const object_reference& obj, const std::string& type, const std::string& reason,
              const std::string& message) override;

  /// Event writes (creates and patches) that succeeded so far; for tests.
  uint64_t written() const;
  /// The last failure to write an Event ("verb ns/name: error"), "" when none.
  std::string last_error() const;

private:
  /// Entries, counters and the client, shared with the callbacks in flight (they may outlive this object).
  struct state;
  std::shared_ptr<state> state_;
};

} // namespace kactor::integrations::kubernetes
