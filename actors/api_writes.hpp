// Starting API writes for the actors: each call returns at once; `done` runs on the client's I/O thread
// with a write_completed the caller posts to its actor (the only thing a completion may do). The
// completion carries the write's key (verb, kind, namespace, name) as it was made. Outcomes that mean
// "already so" count as success: AlreadyExists on create, NotFound on delete.
#pragma once

#include <functional>
#include <string>

#include "actors/kube_access.hpp"
#include "messages/messages.hpp"
#include "model/diff/broker_plan.hpp"
#include "model/diff/object_diff.hpp"
#include "model/resource_kind.hpp"

namespace kactor::actors {

using write_done = std::function<void(messages::write_completed)>;

/// The API resource of a kind kactor writes.
const integrations::kubernetes::resource_type& resource_for(model::resource_kind kind);

/// One of a broker's writes.
void start_broker_write(const kube_access& kube, const std::string& ns, const model::broker_write& w, write_done done);

/// Creates or updates a cluster-level object of `kind` (`observed` null for create).
void start_object_write(const kube_access& kube, const std::string& ns, model::resource_kind kind,
                        model::object_action action, const nlohmann::json& desired, const nlohmann::json& observed,
                        write_done done);

/// Deletes a cluster-level object of `kind` kactor no longer renders (model::stale_cluster_objects), with
/// `observed`'s uid as precondition: an object made again since is not the one decided about.
void start_object_delete(const kube_access& kube, const std::string& ns, model::resource_kind kind,
                         const nlohmann::json& observed, write_done done);

/// PUTs the KafkaCluster's status subresource: `cr` (as cached, with its resourceVersion) with `status`.
void start_status_write(const kube_access& kube, nlohmann::json cr, nlohmann::json status, write_done done);

/// Sets or removes `finalizer` on the KafkaCluster `cr` (a PUT carrying its resourceVersion).
void start_finalizer_write(const kube_access& kube, nlohmann::json cr, const std::string& finalizer, bool present,
                           write_done done);

} // namespace kactor::actors
