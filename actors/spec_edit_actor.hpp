// The spec-edit actor: one per process. For each edit_spec it reads the KafkaCluster from the API server
// (not the cache: an edit right after apply must see the applied CR), applies the intent with
// model::apply_intent, and writes the CR back with a conflict-checked PUT (status dropped: the spec
// endpoint ignores it); on a conflict it reads and edits again, at most 10 times. It answers once, when
// the API server accepted the edit or it failed. Edits run concurrently and never block the actor; on
// exit every edit in flight is answered with an error, so no caller waits for a dead actor.
#pragma once

#include <caf/fwd.hpp>

#include "actors/kube_access.hpp"
#include "messages/spec_edit.hpp"

namespace kactor::actors {

messages::spec_edit_actor spawn_spec_edit_actor(caf::actor_system& sys, kube_ports kube);

} // namespace kactor::actors
