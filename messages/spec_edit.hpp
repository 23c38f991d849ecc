// The spec-edit vocabulary: asking the spec-edit actor to apply one model::spec_intent to a KafkaCluster,
// its answer, and the two I/O completions it waits for. Kept apart from messages.hpp: only the runtime
// (the embedding API's intents) and the spec-edit actor speak it.
//
// The edit is data, not a callback: the actor applies it with model::apply_intent to the CR it reads,
// again after a conflict. Types holding JSON or model structs stay inside one process (marked unsafe);
// the others have an old-style CAF 0.17 inspect.
#pragma once

#include <cstdint>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <nlohmann/json.hpp>

#include "model/edit/intent.hpp"

namespace kactor::messages {

/// Edit the spec of KafkaCluster namespace_/cluster (runtime → spec-edit actor); answered by
/// spec_edit_result once the API server accepted the edit or it failed. Local only.
struct edit_spec {
  std::string namespace_;
  std::string cluster;
  model::spec_intent intent;
};

/// How an edit_spec ended: ok, or why not — "no KafkaCluster kafka/x", "kafka/x: spec.brokers: no broker
/// with id 7" (the edit refused), an API error, or too many conflicts.
struct spec_edit_result {
  bool ok = false;
  std::string error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, spec_edit_result& x) {
  return f(caf::meta::type_name("spec_edit_result"), x.ok, x.error);
}

/// The GET of an edit's KafkaCluster completed (I/O thread → spec-edit actor). Local only.
struct spec_edit_read {
  uint64_t seq = 0;     ///< the edit's number in the actor
  bool ok = false;
  bool not_found = false;
  std::string error;    ///< api_error::to_string() when !ok
  nlohmann::json object; ///< the KafkaCluster when ok
};

/// The conflict-checked PUT of an edit completed (I/O thread → spec-edit actor).
struct spec_edit_written {
  uint64_t seq = 0;
  bool ok = false;
  bool conflict = false; ///< the CR changed since it was read: read it again and redo the edit
  std::string error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, spec_edit_written& x) {
  return f(caf::meta::type_name("spec_edit_written"), x.seq, x.ok, x.conflict, x.error);
}

/// The spec-edit actor: one per process; writes spec edits asked for by the runtime.
using spec_edit_actor = caf::typed_actor<caf::replies_to<edit_spec>::with<spec_edit_result>,
                                         caf::reacts_to<spec_edit_read>, caf::reacts_to<spec_edit_written>>;

} // namespace kactor::messages

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::edit_spec)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::spec_edit_read)
