#include "integrations/kubernetes/watch_cache.hpp"

#include <random>
#include <stdexcept>

#include "model/packed_text.hpp"

namespace kactor::integrations::kubernetes {

using nlohmann::json;

const char* to_string(change_type type) {
  switch (type) {
  case change_type::added: return "added";
  case change_type::modified: return "modified";
  case change_type::deleted: return "deleted";
  case change_type::resync: return "resync";
  }
  return "added";
}


watch_cache::watch_cache(std::shared_ptr<kube_client> client, watch_cache_options opts, change_handler on_change)
    : client_(std::move(client)), opts_(std::move(opts)), on_change_(std::move(on_change)) {}

watch_cache::~watch_cache() {
  stopped_ = true;
  if (watch_)
    watch_->cancel();
}

std::shared_ptr<watch_cache> watch_cache::start(std::shared_ptr<kube_client> client, watch_cache_options opts,
                                                change_handler on_change) {
  auto cache = std::shared_ptr<watch_cache>(new watch_cache(std::move(client), std::move(opts), std::move(on_change)));
  std::weak_ptr<watch_cache> weak = cache;
  cache->client_->schedule(std::chrono::milliseconds{0}, [weak] {
    if (auto self = weak.lock())
      self->relist();
  });
  if (cache->opts_.resync.count() > 0)
    cache->client_->schedule(cache->opts_.resync, [weak] {
      if (auto self = weak.lock())
        self->resync_tick();
    });
  return cache;
}

namespace {
/// A compact entry's object. Its text was packed from dump() of a parsed object: it unpacks and parses.
json parse_packed(const std::string& packed, const std::string& dictionary) {
  auto text = model::unpack(packed, dictionary);
  if (!text) // only memory corruption gets here
    throw std::logic_error("watch cache: " + text.error().message());
  return json::parse(*text);
}
} // namespace

// Compact caches parse outside the lock: the I/O thread takes it for every watch event, and 100 cluster
// actors parsing their objects under it starved the watches (seconds of lag, creates repeated).

std::optional<json> watch_cache::get(const std::string& ns, const std::string& name) const {
  std::string text;
  {
    std::lock_guard lock(mutex_);
    auto it = objects_.find({ns, name});
    if (it == objects_.end())
      return std::nullopt;
    if (!opts_.compact)
      return it->second.object;
    text = it->second.text;
  }
  return parse_packed(text, dictionary_);
}

bool watch_cache::contains(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mutex_);
  return objects_.count({ns, name}) > 0;
}

std::vector<json> watch_cache::list() const {
  std::vector<json> out;
  std::vector<std::string> texts;
  {
    std::lock_guard lock(mutex_);
    (opts_.compact ? texts.reserve(objects_.size()) : out.reserve(objects_.size()));
    for (const auto& [k, v] : objects_)
      if (opts_.compact)
        texts.push_back(v.text);
      else
        out.push_back(v.object);
  }
  for (const auto& t : texts)
    out.push_back(parse_packed(t, dictionary_));
  return out;
}

std::vector<json> watch_cache::list_by_label(const std::string& ns, const std::string& value) const {
  std::vector<json> out;
  visit_by_label(ns, value, [&](const json& o) { out.push_back(o); });
  return out;
}

void watch_cache::for_each_indexed(const std::string& ns, const std::string& value,
                                   const std::function<void(const entry&)>& f) const {
  if (opts_.index_label.empty()) {
    for (auto it = objects_.lower_bound({ns, ""}); it != objects_.end() && it->first.first == ns; ++it)
      f(it->second);
  } else if (auto names = index_.find({ns, value}); names != index_.end()) {
    for (const auto& name : names->second)
      if (auto it = objects_.find({ns, name}); it != objects_.end())
        f(it->second);
  }
}

void watch_cache::visit_by_label(const std::string& ns, const std::string& value,
                                 const std::function<void(const json&)>& f) const {
  std::vector<std::string> texts; // compact: copied under the lock, parsed and visited after it
  {
    std::lock_guard lock(mutex_);
    for_each_indexed(ns, value, [&](const entry& e) {
      if (opts_.compact)
        texts.push_back(e.text);
      else
        f(e.object);
    });
  }
  for (const auto& t : texts)
    f(parse_packed(t, dictionary_));
}

void watch_cache::visit_summaries_by_label(const std::string& ns, const std::string& value,
                                           const std::function<void(const json&)>& f) const {
  if (!opts_.summarize)
    return visit_by_label(ns, value, f);
  std::lock_guard lock(mutex_);
  for_each_indexed(ns, value, [&](const entry& e) { f(nlohmann::json::from_cbor(e.summary)); });
}

namespace {
std::string label_of(const json& obj, const std::string& label) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object())
    return "";
  auto l = m->find("labels");
  if (l == m->end() || !l->is_object())
    return "";
  auto v = l->find(label);
  return v != l->end() && v->is_string() ? v->get<std::string>() : "";
}
} // namespace

watch_cache::entry watch_cache::make_entry(json object) const {
  entry e;
  e.resource_version = metadata_field(object, "resourceVersion");
  if (!opts_.index_label.empty())
    e.index_value = label_of(object, opts_.index_label);
  if (opts_.summarize)
    nlohmann::json::to_cbor(opts_.summarize(object), e.summary);
  if (opts_.compact) {
    auto text = object.dump();
    // The first object is the dictionary of all: objects of one kind repeat most of each other's text.
    std::call_once(dictionary_once_, [&] { dictionary_ = text; });
    e.text = model::pack(text, dictionary_);
  } else
    e.object = std::move(object);
  return e;
}

json watch_cache::object_of(const entry& e) const {
  return opts_.compact ? parse_packed(e.text, dictionary_) : e.object;
}

void watch_cache::index_add(const std::pair<std::string, std::string>& key, const entry& e) {
  if (!opts_.index_label.empty())
    index_[{key.first, e.index_value}].insert(key.second);
}

void watch_cache::index_remove(const std::pair<std::string, std::string>& key, const entry& e) {
  if (opts_.index_label.empty())
    return;
  auto it = index_.find({key.first, e.index_value});
  if (it == index_.end())
    return;
  it->second.erase(key.second);
  if (it->second.empty())
    index_.erase(it);
}

size_t watch_cache::size() const {
  std::lock_guard lock(mutex_);
  return objects_.size();
}

std::string watch_cache::resource_version() const {
  std::lock_guard lock(mutex_);
  return rv_;
}

watch_cache_stats watch_cache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void watch_cache::stop() {
  std::shared_ptr<http::stream_handle> w;
  {
    // Taking the notify lock waits for a notification in progress; none starts after this.
    std::lock_guard nlock(notify_mutex_);
    stopped_ = true;
  }
  {
    std::lock_guard lock(mutex_);
    w = std::move(watch_);
  }
  if (w)
    w->cancel();
}

void watch_cache::relist() {
  if (stopped_)
    return;
  list_options lo;
  lo.label_selector = opts_.label_selector;
  lo.field_selector = opts_.field_selector;
  lo.limit = opts_.page_size;
  std::weak_ptr<watch_cache> weak = shared_from_this();
  client_->list_all(opts_.type, opts_.namespace_, lo, [weak](api_result<json> r) {
    if (auto self = weak.lock())
      self->on_list(std::move(r));
  });
}

void watch_cache::on_list(api_result<json> r) {
  if (stopped_)
    return;
  if (!r.is_ok())
    return retry_later(&watch_cache::relist);
  // The fresh list against the cache: what was added, changed or removed while we were not watching.
  std::map<std::pair<std::string, std::string>, entry> fresh;
  std::vector<change> changes;
  for (auto& item : r.value()["items"]) {
    std::pair<std::string, std::string> key{metadata_field(item, "namespace"), metadata_field(item, "name")};
    {
      std::lock_guard lock(mutex_);
      auto it = objects_.find(key);
      if (it == objects_.end())
        changes.push_back({change_type::added, key.first, key.second, item, json{}});
      else if (it->second.resource_version != metadata_field(item, "resourceVersion"))
        changes.push_back({change_type::modified, key.first, key.second, item, object_of(it->second)});
    }
    fresh.emplace(std::move(key), make_entry(std::move(item)));
  }
  {
    std::lock_guard lock(mutex_);
    ++stats_.lists;
    for (const auto& [key, e] : objects_)
      if (!fresh.count(key)) {
        auto obj = object_of(e);
        changes.push_back({change_type::deleted, key.first, key.second, obj, obj});
      }
    objects_ = std::move(fresh);
    index_.clear();
    for (const auto& [key, e] : objects_)
      index_add(key, e);
    rv_ = metadata_field(r.value(), "resourceVersion");
  }
  for (auto& c : changes)
    notify(std::move(c));
  synced_ = true;
  failures_ = 0;
  open_watch();
}

void watch_cache::open_watch() {
  if (stopped_)
    return;
  watch_options wo;
  wo.label_selector = opts_.label_selector;
  wo.field_selector = opts_.field_selector;
  wo.resource_version = resource_version();
  wo.timeout = opts_.watch_timeout;
  std::weak_ptr<watch_cache> weak = shared_from_this();
  watch_callbacks cbs;
  cbs.on_event = [weak](watch_event ev) {
    auto self = weak.lock();
    return self && self->on_event(std::move(ev));
  };
  cbs.on_end = [weak](std::optional<api_error> err) {
    if (auto self = weak.lock())
      self->on_watch_end(std::move(err));
  };
  auto handle = client_->watch(opts_.type, opts_.namespace_, wo, std::move(cbs));
  std::lock_guard lock(mutex_);
  ++stats_.watches;
  watch_ = std::move(handle);
}

bool watch_cache::on_event(watch_event ev) {
  if (stopped_)
    return false;
  failures_ = 0;
  std::optional<change> c;
  {
    std::lock_guard lock(mutex_);
    ++stats_.events;
    rv_ = ev.resource_version;
    if (ev.type == watch_event_type::bookmark)
      return true;
    std::pair<std::string, std::string> key{ev.namespace_, ev.name};
    auto it = objects_.find(key);
    if (ev.type == watch_event_type::deleted) {
      if (it != objects_.end()) {
        index_remove(key, it->second);
        c = change{change_type::deleted, key.first, key.second, std::move(ev.object), object_of(it->second)};
        objects_.erase(it);
      }
    } else if (it == objects_.end()) {
      auto e = make_entry(ev.object);
      index_add(key, e);
      objects_.emplace(key, std::move(e));
      c = change{change_type::added, key.first, key.second, std::move(ev.object), json{}};
    } else if (it->second.resource_version != ev.resource_version) {
      // The same version again (a replayed event after a resume) is not a change.
      json old = object_of(it->second);
      index_remove(key, it->second);
      it->second = make_entry(ev.object);
      index_add(key, it->second);
      c = change{change_type::modified, key.first, key.second, std::move(ev.object), std::move(old)};
    }
  }
  if (c)
    notify(std::move(*c));
  return !stopped_;
}

void watch_cache::on_watch_end(std::optional<api_error> err) {
  if (stopped_)
    return;
  if (!err) // the server's timeoutSeconds passed: resume from where we are
    return open_watch();
  if (err->kind == api_error_kind::gone) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.gone;
    }
    return relist();
  }
  retry_later(&watch_cache::open_watch);
}

void watch_cache::retry_later(void (watch_cache::*step)()) {
  std::weak_ptr<watch_cache> weak = shared_from_this();
  client_->schedule(next_backoff(), [weak, step] {
    if (auto self = weak.lock())
      ((*self).*step)();
  });
}

std::chrono::milliseconds watch_cache::next_backoff() {
  double ms = double(opts_.backoff_base.count()) * double(1u << std::min(failures_, 16));
  ms = std::min(ms, double(opts_.backoff_max.count()));
  ++failures_;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  return std::chrono::milliseconds{int64_t(ms * jitter(rng))};
}

void watch_cache::resync_tick() {
  if (stopped_)
    return;
  // One object at a time, not a copy of the whole cache (51 MB at 3,000 brokers).
  std::vector<std::pair<std::string, std::string>> keys;
  {
    std::lock_guard lock(mutex_);
    keys.reserve(objects_.size());
    for (const auto& [key, e] : objects_)
      keys.push_back(key);
  }
  for (const auto& [ns, name] : keys)
    if (auto obj = get(ns, name))
      notify({change_type::resync, ns, name, std::move(*obj), json{}});
  std::weak_ptr<watch_cache> weak = shared_from_this();
  client_->schedule(opts_.resync, [weak] {
    if (auto self = weak.lock())
      self->resync_tick();
  });
}

void watch_cache::notify(change c) {
  std::lock_guard lock(notify_mutex_);
  if (stopped_)
    return;
  {
    std::lock_guard l(mutex_);
    ++stats_.notified;
  }
  if (on_change_)
    on_change_(c);
}

} // namespace kactor::integrations::kubernetes
