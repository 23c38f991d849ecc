// The simulated API server's storage: every object of every served type, one global monotonically
// increasing resourceVersion, a bounded history of changes for watches, and the kube-apiserver's write
// semantics (uid, creationTimestamp, generation, generateName, optimistic concurrency, status
// subresource, finalizers and graceful deletion, owner-reference garbage collection).
//
// Thread-safe: one mutex guards everything. Watch callbacks run with that mutex held, in resourceVersion
// order; they must only queue (e.g. write to an HTTP stream) and never call back into the store.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/world/api_server/resource_registry.hpp"
#include "sim/world/api_server/selectors.hpp"

namespace kactor::sim {

/// A failure in the shape of a Kubernetes Status: HTTP code, reason (NotFound, AlreadyExists, Conflict,
/// Invalid, Gone, BadRequest, ...) and message.
struct api_error {
  int code = 500;
  std::string reason;
  std::string message;
  /// metav1.StatusDetails (name, group, kind, causes) when the failure has them; null otherwise.
  json details = nullptr;

  /// The metav1.Status object for this error.
  json to_status() const;
};

/// An object or the error that prevented the operation.
struct store_result {
  json object;
  std::optional<api_error> error;
};

/// One page of a list.
struct list_result {
  std::vector<json> items;
  std::string resource_version;
  std::string continue_token; ///< empty on the last page
  std::optional<api_error> error;
};

/// DELETE options (metav1.DeleteOptions).
struct delete_options {
  std::string propagation = "Background"; ///< Background, Foreground, Orphan
  std::optional<int64_t> grace_period_seconds;
  std::optional<std::string> precondition_uid;
  std::optional<std::string> precondition_resource_version;
};

/// A change delivered to a watcher.
struct watch_event {
  std::string type; ///< ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
  json object;
};

/// A live watch; destroying it (or calling cancel) stops delivery.
class watch_handle {
public:
  virtual ~watch_handle() = default;
  virtual void cancel() = 0;
};

/// What a watch wants to see.
struct watch_request {
  std::string resource_key; ///< resource_type::key()
  std::string namespace_;   ///< empty: all namespaces
  selector labels;
  selector fields;
  /// Start after this version; nullopt: send the current objects as ADDED first, then changes.
  std::optional<uint64_t> from_version;
  /// allowWatchBookmarks: also receive BOOKMARK events.
  bool bookmarks = false;
  std::function<void(const watch_event&)> deliver;
};

/// The store. See the file comment.
class object_store {
public:
  struct options {
    size_t history = 10000; ///< changes kept for watches; older starting points get 410 Gone
    /// RFC 3339 "now" for timestamps; defaults to the system clock.
    std::function<std::string()> now;
  };

  object_store(std::shared_ptr<resource_registry> registry, options opts);

  store_result create(const resource_type& type, const std::string& ns, json object);
  store_result get(const resource_type& type, const std::string& ns, const std::string& name) const;
  list_result list(const resource_type& type, const std::string& ns, const selector& labels, const selector& fields,
                   size_t limit = 0, const std::string& continue_token = "") const;
  /// PUT: replaces the object (or only its status). Conflict when metadata.resourceVersion is stale.
  store_result update(const resource_type& type, const std::string& ns, const std::string& name, json object,
                      bool status_only);
  /// Read-modify-write under the lock (PATCH). `change` gets the current object (null when absent and
  /// create_if_missing) and returns the new one or an error.
  store_result modify(const resource_type& type, const std::string& ns, const std::string& name, bool status_only,
                      bool create_if_missing,
                      const std::function<std::variant<json, api_error>(const json& current)>& change);
  store_result remove(const resource_type& type, const std::string& ns, const std::string& name,
                      const delete_options& opts);

  /// Starts a watch; 410 Gone when from_version is older than the history kept.
  std::variant<std::unique_ptr<watch_handle>, api_error> watch(watch_request req);

  /// Sends a BOOKMARK carrying the current resourceVersion to every watch that asked for one.
  void bookmark(const std::string& resource_key, const std::string& api_version, const std::string& kind);

  /// Forgets the change history: every watch resumed from before now gets 410 Gone (fault injection).
  void compact();

  /// The current global resourceVersion.
  uint64_t resource_version() const;

  /// How many objects of `type` are stored (every namespace): what a list of them reads from etcd.
  size_t count(const resource_type& type) const;

  /// Number of successful writes (create, update, patch, delete) since start.
  uint64_t write_count() const;

  /// The changes kept in the history after `version`, one line each: the event type, the resource, the
  /// object's namespace/name and, for MODIFIED, the JSON paths that changed with their new value when short
  /// (so that a check such as
  /// idle-writes can say what was written, not only how often).
  std::vector<std::string> describe_changes_after(uint64_t version) const;

private:
  struct change {
    uint64_t version;
    std::string resource_key;
    std::string type;
    json object;
    json previous; ///< the object before a MODIFIED (for selector transitions)
  };
  struct watcher;
  struct handle_impl;
  using object_map = std::map<std::string, json>; ///< "namespace/name" → object

  std::string now() const;
  std::string next_uid();
  std::string stamp(json& object);
  void emit(const std::string& resource_key, const std::string& type, const json& object, const json& previous);
  store_result finish_delete(const resource_type& type, const std::string& key, const std::string& propagation);
  void delete_dependents(const std::string& owner_uid, const std::string& propagation);
  store_result write_update(const resource_type& type, const std::string& key, json next, const json& current);
  std::optional<api_error> check_namespace(const resource_type& type, const std::string& ns) const;
  void deliver(watcher& w, const change& c) const;

  std::shared_ptr<resource_registry> registry_;
  options opts_;
  mutable std::recursive_mutex mutex_;
  std::map<std::string, object_map> objects_; ///< resource key → objects
  std::map<std::string, resource_type> types_by_key_; ///< resource key → a served type (for GC)
  uint64_t version_ = 1;
  uint64_t oldest_version_ = 1; ///< history covers every change after this version
  uint64_t uid_counter_ = 0;
  uint64_t writes_ = 0;
  std::deque<change> history_;
  std::vector<std::shared_ptr<watcher>> watchers_;
};

} // namespace kactor::sim
