// The Kubernetes API client kactor's actors use: asynchronous CRUD, patch, status and watch on any
// resource (core or custom) by resource_type, over integrations/http's async client. Beast-free.
//
// Contract: every call returns at once; its callback runs later on the client's I/O thread and must not
// block (actors turn it into a message). Failures arrive as typed api_errors. Retries: 429 is retried for
// every verb after its Retry-After; 5xx, timeouts and transport errors are retried with jittered
// exponential backoff for idempotent requests only (GET, PUT, DELETE, apply patches) — a POST or merge
// PATCH that may have been applied is never sent twice. A 401 re-reads a rotated token once. An optional
// token bucket (qps/burst; off by default) delays requests without blocking; at most max_in_flight requests
// are in flight at once, and status writes and Events wait behind the others. Request metrics are counted
// by verb, resource and code. The *_sync helpers block the calling thread: for tests and tools only,
// never from a callback. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "integrations/http/async_client.hpp"
#include "integrations/kubernetes/api.hpp"
#include "integrations/kubernetes/api_error.hpp"
#include "integrations/kubernetes/client_config.hpp"
#include "integrations/kubernetes/request_metrics.hpp"
#include "integrations/kubernetes/resource_type.hpp"
#include "integrations/kubernetes/watch_event.hpp"
#include "model/status.hpp"

namespace kactor::integrations::kubernetes {

using json = nlohmann::json;

struct kube_client_options {
  std::chrono::milliseconds timeout{30000};     ///< per request (each attempt)
  int max_retries = 5;                          ///< further attempts after the first
  std::chrono::milliseconds backoff_base{100};  ///< first retry delay, doubled each time, ±50% jitter
  std::chrono::milliseconds backoff_max{5000};
  std::chrono::milliseconds retry_after_max{60000}; ///< a longer Retry-After is shortened to this
  double qps = 0;                               ///< client-side rate limit; 0: off
  int burst = 0;                                ///< bucket size with qps (default: ceil(qps))
  /// Requests in flight at once (watches not counted); the rest wait in the client, status writes and
  /// Events behind every other request.
  int max_in_flight = 32;
  std::string field_manager = "kactor";         ///< for apply patches
  std::string user_agent = "kactor";
  /// Where requests are counted; shared by clients that count as one (the operator's watch client). Null:
  /// the client's own.
  std::shared_ptr<request_metrics> metrics;
};

/// Options of a list.
struct list_options {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;            ///< page size; 0: everything at once
  std::string continue_token;
  std::string resource_version; ///< "" most recent; "0" any (from the watch cache)
};

/// Options of a watch.
struct watch_options {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version; ///< start after this version
  bool bookmarks = true;
  std::chrono::seconds timeout{300}; ///< server-side timeoutSeconds; the client waits this + 30 s for data
};


/// Callbacks of a watch stream (on the I/O thread). on_event returns false to stop the watch.
struct watch_callbacks {
  std::function<bool(watch_event)> on_event;
  /// Once at the end unless on_event returned false or the watch was cancelled: the error that ended
  /// it (Gone for a 410 ERROR event or response) or none (ok()) when the server closed it normally.
  std::function<void(std::optional<api_error>)> on_end;
};

class kube_client : public object_writer, public std::enable_shared_from_this<kube_client> {
public:
  static model::result<std::shared_ptr<kube_client>> make(client_config config, kube_client_options options = {});
  virtual ~kube_client() = default;

  virtual const client_config& config() const = 0;

  /// One page (see list_options::limit / continue_token); the answer is the List object.
  virtual void list(const resource_type& type, const std::string& ns, const list_options& opts, json_callback done) = 0;
  /// Every page, following `continue`; the answer is a List whose items are all pages' items and whose
  /// metadata.resourceVersion is the first page's (a consistent snapshot). 410 restarts from scratch once.
  virtual void list_all(const resource_type& type, const std::string& ns, list_options opts, json_callback done) = 0;
  // get, create, update, update_status, patch, remove: the object_writer port (integrations/kubernetes/api.hpp).
  /// Opens a watch. The handle's cancel() ends it (no callback after).
  virtual std::shared_ptr<http::stream_handle> watch(const resource_type& type, const std::string& ns,
                                                     const watch_options& opts, watch_callbacks cbs) = 0;

  /// Runs `fn` on the I/O thread after `delay` (for the watch cache, leader election, recorder).
  virtual void schedule(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
  virtual request_metrics& metrics() = 0;
  /// Stops the transport: outstanding calls fail. Idempotent; not from a callback.
  virtual void stop() = 0;

  // Blocking helpers for tests and tools (never from a callback).
  api_result<json> get_sync(const resource_type& type, const std::string& ns, const std::string& name);
  api_result<json> list_sync(const resource_type& type, const std::string& ns, const list_options& opts = {});
  api_result<json> list_all_sync(const resource_type& type, const std::string& ns, const list_options& opts = {});
  api_result<json> create_sync(const resource_type& type, const std::string& ns, json object);
  api_result<json> update_sync(const resource_type& type, const std::string& ns, json object);
  api_result<json> update_status_sync(const resource_type& type, const std::string& ns, json object);
  api_result<json> patch_sync(const resource_type& type, const std::string& ns, const std::string& name, patch_type kind,
                              json body, const std::string& subresource = "");
  api_result<json> remove_sync(const resource_type& type, const std::string& ns, const std::string& name,
                               const delete_options& opts = {});
};

} // namespace kactor::integrations::kubernetes
