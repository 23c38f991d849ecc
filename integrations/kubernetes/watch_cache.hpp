// The watch cache (client-go's informer): a local copy of the objects of one resource type, scoped by
// namespace and label selector so its memory follows what kactor manages, kept current by list-then-
// watch, and a change notification for every change. Beast-free.
//
// Contract: start() lists (paginated) and then watches from the list's resourceVersion with bookmarks.
// A watch that ends (server timeout, dropped connection) resumes from the last version seen after a
// jittered backoff; a 410 Gone relists and notifies the difference between the cache and the fresh list,
// so no change is missed and none is notified twice (an object whose resourceVersion the cache already
// holds is not notified again). on_change runs on the client's I/O thread, in order, and must not block:
// it is where the actor layer sends a message. `synced()` turns true after the first list has been
// notified. With a resync period every cached object is notified again as `resync` (no API request).
// Thread-safe reads (get, list) from any thread. stop() ends the watch; no notification after it returns.
#pragma once

#include <cstdint>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integrations/kubernetes/api.hpp"
#include "integrations/kubernetes/kube_client.hpp"

namespace kactor::integrations::kubernetes {

struct watch_cache_options {
  resource_type type;
  std::string namespace_;       ///< "" all namespaces
  std::string label_selector;
  std::string field_selector;
  int64_t page_size = 500;
  std::chrono::milliseconds resync{0};          ///< 0: none
  std::chrono::milliseconds backoff_base{200};  ///< reconnect/relist delay, doubled per failure, jittered
  std::chrono::milliseconds backoff_max{30000};
  std::chrono::seconds watch_timeout{300};
  /// A label to index objects by (e.g. "kafka_cr"), for list_by_label; "" none.
  std::string index_label;
  /// Keep objects as packed JSON text (model::pack), unpacked and parsed on each read: a thirtieth of the
  /// memory of parsed objects (a parsed Pod takes ~17 KB, its text ~3 KB, packed ~0.6 KB), for reads that
  /// cost a parse instead of a copy (about twice).
  /// For the many (pods, PVCs at 3,000 brokers), not the few read on every pass (KafkaClusters).
  bool compact = false;
  /// A small projection of each object, kept parsed beside it for visit_summaries_by_label: the few fields
  /// a frequent reader needs (a cluster pass reads labels and disks of its 30 brokers' objects), so that
  /// it does not parse whole compact objects. Unset: none.
  std::function<nlohmann::json(const nlohmann::json&)> summarize;
};

enum class change_type { added, modified, deleted, resync };

const char* to_string(change_type type);

/// One notified change. `old_object` is the cached object before (modified, deleted).
struct change {
  change_type type = change_type::added;
  std::string namespace_;
  std::string name;
  nlohmann::json object;
  nlohmann::json old_object;
};

/// Counters for tests and metrics.
struct watch_cache_stats {
  uint64_t lists = 0;       ///< full lists (first and relists)
  uint64_t watches = 0;     ///< watch requests opened
  uint64_t gone = 0;        ///< 410s seen
  uint64_t events = 0;      ///< watch events received
  uint64_t notified = 0;    ///< changes notified
};

class watch_cache : public object_reader, public std::enable_shared_from_this<watch_cache> {
public:
  using change_handler = std::function<void(const change&)>;

  static std::shared_ptr<watch_cache> start(std::shared_ptr<kube_client> client, watch_cache_options opts,
                                            change_handler on_change);
  ~watch_cache();

  bool synced() const { return synced_; }
  std::optional<nlohmann::json> get(const std::string& ns, const std::string& name) const override;
  /// get() without the copy (or parse).
  bool contains(const std::string& ns, const std::string& name) const override;
  std::vector<nlohmann::json> list() const override;
  /// The objects of namespace `ns` whose index_label has `value` (copies of those only; without an
  /// index_label, a scan of the namespace).
  std::vector<nlohmann::json> list_by_label(const std::string& ns, const std::string& value) const override;
  /// list_by_label without the copies: `f` sees each object (parsed objects under the cache's lock, so `f`
  /// must be short and must not call into this cache; compact ones parsed after it).
  void visit_by_label(const std::string& ns, const std::string& value,
                      const std::function<void(const nlohmann::json&)>& f) const;
  /// visit_by_label over the options' summaries (over the objects without `summarize`), under the lock:
  /// `f` must be short and must not call into this cache.
  void visit_summaries_by_label(const std::string& ns, const std::string& value,
                                const std::function<void(const nlohmann::json&)>& f) const override;
  size_t size() const;
  /// The newest resourceVersion seen (list, event or bookmark).
  std::string resource_version() const;
  watch_cache_stats stats() const;
  void stop();

private:
  watch_cache(std::shared_ptr<kube_client> client, watch_cache_options opts, change_handler on_change);
  void relist();
  void on_list(api_result<nlohmann::json> r);
  void open_watch();
  bool on_event(watch_event ev);
  void on_watch_end(std::optional<api_error> err);
  void retry_later(void (watch_cache::*step)());
  void resync_tick();
  void notify(change c);
  std::chrono::milliseconds next_backoff();

  std::shared_ptr<kube_client> client_;
  watch_cache_options opts_;
  change_handler on_change_;
  mutable std::mutex mutex_;        ///< guards objects_, rv_, stats_
  std::recursive_mutex notify_mutex_; ///< held while notifying; stop() takes it
  /// One cached object: parsed, or as packed text when compact; its version and index value either way.
  struct entry {
    std::string resource_version;
    std::string index_value;
    nlohmann::json object; ///< null when compact
    std::string text;      ///< model::pack(object.dump()) when compact, else empty
    /// opts_.summarize(object) as CBOR, when set: parsed, a summary of a few fields is still ~2 KB of
    /// maps and strings (48 MB at 10,000 brokers); as CBOR ~150 bytes, parsed again per visit.
    std::vector<std::uint8_t> summary;
  };
  /// Calls f on each entry of namespace `ns` whose index value is `value` (all of `ns` without an index).
  void for_each_indexed(const std::string& ns, const std::string& value, const std::function<void(const entry&)>& f) const;
  entry make_entry(nlohmann::json object) const;
  nlohmann::json object_of(const entry& e) const;
  /// compact: the text every entry is packed against (model::pack's dictionary), the first object's. Set
  /// once, before the first entry is packed, never changed: readers that reached an entry under mutex_
  /// see it without a lock of their own.
  mutable std::once_flag dictionary_once_;
  mutable std::string dictionary_;
  std::map<std::pair<std::string, std::string>, entry> objects_;
  /// (namespace, index_label value) → names; kept with objects_.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> index_;
  void index_add(const std::pair<std::string, std::string>& key, const entry& e);
  void index_remove(const std::pair<std::string, std::string>& key, const entry& e);
  std::string rv_;
  watch_cache_stats stats_;
  std::shared_ptr<http::stream_handle> watch_;
  std::atomic<bool> synced_{false};
  std::atomic<bool> stopped_{false};
  int failures_ = 0;
};

} // namespace kactor::integrations::kubernetes
