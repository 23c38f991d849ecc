// The object store's watches (object_store.hpp): each change delivered to the watchers it matches (an object
// entering or leaving a filtered watch is ADDED or DELETED for it), a bounded history to resume from,
// bookmarks and compaction.
#include "sim/world/api_server/object_store.hpp"

namespace kactor::sim {

struct object_store::watcher {
  watch_request req;
  bool active = true;
};

struct object_store::handle_impl : watch_handle {
  object_store* store;
  std::weak_ptr<watcher> w;
  handle_impl(object_store* s, std::weak_ptr<watcher> wp) : store(s), w(std::move(wp)) {}
  ~handle_impl() override { cancel(); }
  void cancel() override {
    std::lock_guard guard{store->mutex_};
    if (auto sp = w.lock()) {
      sp->active = false;
      std::erase(store->watchers_, sp);
    }
  }
};

void object_store::deliver(watcher& w, const change& c) const {
  if (!w.active || w.req.resource_key != c.resource_key)
    return;
  const auto& meta = c.object["metadata"];
  if (!w.req.namespace_.empty() && meta.value("namespace", "") != w.req.namespace_)
    return;
  auto matches = [&](const json& o) {
    return !o.is_null() && matches_labels(w.req.labels, o) && matches_fields(w.req.fields, o);
  };
  bool now_matches = matches(c.object);
  bool was_matching = c.type == "MODIFIED" ? matches(c.previous) : now_matches;
  // An object entering or leaving a filtered watch is ADDED or DELETED for that watch, as in Kubernetes.
  std::string type = c.type;
  if (c.type == "MODIFIED" && now_matches && !was_matching)
    type = "ADDED";
  else if (c.type == "MODIFIED" && !now_matches && was_matching)
    type = "DELETED";
  else if (!now_matches && !(c.type == "DELETED" && was_matching))
    return;
  w.req.deliver({type, c.object});
}

void object_store::emit(const std::string& resource_key, const std::string& type, const json& object,
                        const json& previous) {
  change c{version_, resource_key, type, object, previous};
  for (auto& w : watchers_)
    deliver(*w, c);
  history_.push_back(std::move(c));
  while (history_.size() > opts_.history) {
    oldest_version_ = history_.front().version;
    history_.pop_front();
  }
}

std::variant<std::unique_ptr<watch_handle>, api_error> object_store::watch(watch_request req) {
  std::lock_guard guard{mutex_};
  if (req.from_version && *req.from_version < oldest_version_)
    return api_error{410, "Expired", "too old resource version: " + std::to_string(*req.from_version) + " ("
                                       + std::to_string(oldest_version_) + ")"};
  auto w = std::make_shared<watcher>();
  w->req = std::move(req);
  if (!w->req.from_version) {
    // No starting point: the current state first, as synthetic ADDED events.
    if (auto bucket = objects_.find(w->req.resource_key); bucket != objects_.end())
      for (const auto& [k, o] : bucket->second)
        deliver(*w, change{version_, w->req.resource_key, "ADDED", o, nullptr});
  } else {
    for (const auto& c : history_)
      if (c.version > *w->req.from_version)
        deliver(*w, c);
  }
  watchers_.push_back(w);
  return std::make_unique<handle_impl>(this, w);
}

void object_store::bookmark(const std::string& resource_key, const std::string& api_version, const std::string& kind) {
  std::lock_guard guard{mutex_};
  json object = {{"apiVersion", api_version},
                 {"kind", kind},
                 {"metadata", {{"resourceVersion", std::to_string(version_)}}}};
  for (auto& w : watchers_)
    if (w->active && w->req.bookmarks && w->req.resource_key == resource_key)
      w->req.deliver({"BOOKMARK", object});
}

void object_store::compact() {
  std::lock_guard guard{mutex_};
  history_.clear();
  oldest_version_ = version_;
}

} // namespace kactor::sim
