// Starting API writes for the actors: each call returns at once; `done` runs on the client's I/O thread
// with a write_completed the caller posts to its actor (the only thing a completion may do). Outcomes that
// mean "already so" count as success: AlreadyExists on create, NotFound on delete.
#pragma once

#include <functional>
#include <string>

#include "actors/kube_access.hpp"
#include "messages/messages.hpp"
#include "model/diff/broker_plan.hpp"
#include "model/diff/object_diff.hpp"

namespace kactor::actors {

using write_done = std::function<void(messages::write_completed)>;

/// The resource_type for a plural kactor writes ("pods", "services", "poddisruptionbudgets", ...).
const integrations::kubernetes::resource_type& resource_for(const std::string& plural);

/// One of a broker's writes.
void start_broker_write(const kube_access& kube, const std::string& ns, const model::broker_write& w, write_done done);

/// Creates or updates a cluster-level object (`observed` null for create).
void start_object_write(const kube_access& kube, const std::string& ns, const std::string& resource,
                        model::object_action action, const nlohmann::json& desired, const nlohmann::json& observed,
                        write_done done);

/// PUTs the KafkaCluster's status subresource: `cr` (as cached, with its resourceVersion) with `status`.
void start_status_write(const kube_access& kube, nlohmann::json cr, nlohmann::json status, write_done done);

/// Sets or removes `finalizer` on the KafkaCluster `cr` (a PUT carrying its resourceVersion).
void start_finalizer_write(const kube_access& kube, nlohmann::json cr, const std::string& finalizer, bool present,
                           write_done done);

/// The plural of a rendered object's kind ("Service" → "services").
std::string plural_of(const nlohmann::json& object);

} // namespace kactor::actors
