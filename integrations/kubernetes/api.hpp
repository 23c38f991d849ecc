// The Kubernetes port: what the actors need of the API server, and nothing else — reading objects from a
// watch cache, writing objects, recording Events. actors/ include this header, never the client, the
// cache or the recorder themselves; runtime/ hands them the real implementations (kube_client,
// watch_cache, event_recorder) and a simulation may hand others.
//
// Contract: readers answer from memory (thread-safe, never block on the network; objects as the API server
// last showed them, possibly behind a write just answered). Writers return at once; `done` runs later on
// the client's I/O thread with the API server's answer or a typed api_error, and must only post a message
// (never block, never touch actor state). Event sinks are best effort and never block.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integrations/kubernetes/api_error.hpp"
#include "integrations/kubernetes/resource_type.hpp"
#include "model/status.hpp"

namespace kactor::integrations::kubernetes {

/// An API answer: the object (or List, or Status) on success.
using json_callback = std::function<void(api_result<nlohmann::json>)>;

/// Options of a delete.
struct delete_options {
  std::string propagation_policy;     ///< "Foreground", "Background", "Orphan" or "" (server default)
  std::string precondition_uid;
  std::string precondition_resource_version;
  std::optional<int64_t> grace_period_seconds;
};

/// The body format of a PATCH.
enum class patch_type {
  merge,      ///< application/merge-patch+json
  json_patch, ///< application/json-patch+json (an array of operations)
  strategic,  ///< application/strategic-merge-patch+json
  apply,      ///< application/apply-patch+yaml (server-side apply)
};

/// The objects of one resource as a watch cache holds them.
class object_reader {
public:
  virtual ~object_reader() = default;
  /// The object `ns`/`name`, or nullopt.
  virtual std::optional<nlohmann::json> get(const std::string& ns, const std::string& name) const = 0;
  virtual bool contains(const std::string& ns, const std::string& name) const = 0;
  /// Every object held.
  virtual std::vector<nlohmann::json> list() const = 0;
  /// The objects of `ns` whose indexed label (kafka_cr) is `value`.
  virtual std::vector<nlohmann::json> list_by_label(const std::string& ns, const std::string& value) const = 0;
  /// Visits the summaries (or the objects, when the cache keeps no summaries) of `ns` whose indexed label
  /// is `value`, without copying them.
  virtual void visit_summaries_by_label(const std::string& ns, const std::string& value,
                                        const std::function<void(const nlohmann::json&)>& f) const = 0;
};

/// Writes to the API server, and the fresh read a read-modify-write starts from.
class object_writer {
public:
  virtual ~object_writer() = default;
  /// GET one object from the API server itself (not a cache: a spec edit must start from the newest).
  virtual void get(const resource_type& type, const std::string& ns, const std::string& name, json_callback done) = 0;
  /// POST.
  virtual void create(const resource_type& type, const std::string& ns, nlohmann::json object, json_callback done) = 0;
  /// PUT; the object's metadata.resourceVersion makes it conditional (Conflict when stale).
  virtual void update(const resource_type& type, const std::string& ns, nlohmann::json object, json_callback done) = 0;
  /// PUT to the status subresource.
  virtual void update_status(const resource_type& type, const std::string& ns, nlohmann::json object, json_callback done) = 0;
  /// PATCH with `body` (a JSON document; for json_patch an array). `subresource` e.g. "status".
  virtual void patch(const resource_type& type, const std::string& ns, const std::string& name, patch_type kind,
                     nlohmann::json body, json_callback done, const std::string& subresource = "", bool force = false) = 0;
  /// DELETE; the answer is the deleted object or a Status.
  virtual void remove(const resource_type& type, const std::string& ns, const std::string& name,
                      const delete_options& opts, json_callback done) = 0;
};

/// The object an Event is about.
struct object_reference {
  std::string api_version;
  std::string kind;
  std::string namespace_;
  std::string name;
  std::string uid;
};

/// Where core/v1 Events go (what `kubectl describe` shows).
class event_sink {
public:
  virtual ~event_sink() = default;
  virtual void record(const object_reference& obj, const std::string& type, const std::string& reason,
                      const std::string& message) = 0;
  void normal(const object_reference& obj, const std::string& reason, const std::string& message) {
    record(obj, "Normal", reason, message);
  }
  void warning(const object_reference& obj, const std::string& reason, const std::string& message) {
    record(obj, "Warning", reason, message);
  }
};

/// What a Secret object holds: its `data` decoded (key → bytes; none when absent). An error names the Secret
/// and `data.<key>` that is not base64, never a value. (integrations/kubernetes/secret_data.cpp)
model::result<std::map<std::string, std::string>> secret_data(const nlohmann::json& secret);

} // namespace kactor::integrations::kubernetes
