#include "integrations/kubernetes/event_recorder.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <tuple>

#include "model/time.hpp"

namespace kactor::integrations::kubernetes {

namespace {

constexpr size_t k_max_message = 1024;
constexpr size_t k_max_keys = 4096;

using clock_type = std::chrono::system_clock;

/// RFC 3339 in UTC with whole seconds, as core/v1 Event timestamps are serialized.
std::string rfc3339(clock_type::time_point t) { return model::format_rfc3339(t); }

/// At most k_max_message bytes, never cutting a UTF-8 sequence in two.
std::string truncate_message(const std::string& message) {
  if (message.size() <= k_max_message)
    return message;
  size_t cut = k_max_message;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80)
    --cut;
  return message.substr(0, cut);
}

/// 16 hex digits; names must be unique per namespace, and the clock alone is not enough across processes.
std::string name_suffix() {
  static std::mutex mutex;
  static std::mt19937_64 rng{std::random_device{}()
                             ^ static_cast<uint64_t>(clock_type::now().time_since_epoch().count())};
  std::lock_guard lock(mutex);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0)
    return "";
  return buf;
}

/// Involved object's identity, type, reason, message.
using key = std::tuple<std::string, std::string, std::string, std::string>;

struct entry {
  object_reference object;
  std::string event_name;
  std::string namespace_;
  clock_type::time_point first;
  clock_type::time_point last;
  int64_t count = 0;      ///< occurrences so far
  int64_t sent_count = 0; ///< count the server has (0: not created yet)
  bool in_flight = false;
  uint64_t used = 0;   ///< position in the use order, to forget the least recently used key
  uint64_t serial = 0; ///< tells a forgotten and re-created entry from its predecessor
};

/// One write to send once the lock is released.
struct pending {
  key k;
  uint64_t serial = 0;
  std::string namespace_;
  std::string name;
  int64_t count = 0;
  bool create = false;
  json body;
};

} // namespace

struct event_recorder::state : std::enable_shared_from_this<state> {
  std::shared_ptr<kube_client> client;
  std::string component;
  std::string instance;
  std::mutex mutex;
  std::map<key, entry> entries;
  std::map<uint64_t, key> use_order;
  uint64_t uses = 0;
  uint64_t serials = 0;
  uint64_t written = 0;
  std::string last_error;

  json make_event(const key& k, const entry& e) const;
  pending prepare(const key& k, entry& e);
  void touch(const key& k, entry& e);
  void send(pending p);
  void done(const pending& p, const api_result<json>& r);
};

json event_recorder::state::make_event(const key& k, const entry& e) const {
  json involved = json::object();
  auto put = [&](const char* field, const std::string& value) {
    if (!value.empty())
      involved[field] = value;
  };
  put("apiVersion", e.object.api_version);
  put("kind", e.object.kind);
  put("namespace", e.object.namespace_);
  put("name", e.object.name);
  put("uid", e.object.uid);
  return {{"apiVersion", "v1"},
          {"kind", "Event"},
          {"metadata", {{"name", e.event_name}, {"namespace", e.namespace_}}},
          {"involvedObject", std::move(involved)},
          {"type", std::get<1>(k)},
          {"reason", std::get<2>(k)},
          {"message", std::get<3>(k)},
          {"count", e.count},
          {"firstTimestamp", rfc3339(e.first)},
          {"lastTimestamp", rfc3339(e.last)},
          {"source", {{"component", component}}},
          {"reportingComponent", component},
          {"reportingInstance", instance}};
}

pending event_recorder::state::prepare(const key& k, entry& e) {
  e.in_flight = true;
  pending p{k, e.serial, e.namespace_, e.event_name, e.count, e.sent_count == 0, {}};
  // A repeat only moves count and lastTimestamp, as client-go's EventCorrelator patches them.
  p.body = p.create ? make_event(k, e) : json{{"count", e.count}, {"lastTimestamp", rfc3339(e.last)}};
  return p;
}

void event_recorder::state::touch(const key& k, entry& e) {
  if (e.used != 0)
    use_order.erase(e.used);
  e.used = ++uses;
  use_order.emplace(e.used, k);
  while (entries.size() > k_max_keys) {
    auto oldest = use_order.begin();
    entries.erase(oldest->second); // a write in flight for it completes and finds nothing to update
    use_order.erase(oldest);
  }
}

void event_recorder::state::send(pending p) {
  auto body = std::move(p.body);
  auto ns = p.namespace_;
  auto name = p.name;
  bool create = p.create;
  auto cb = [self = shared_from_this(), p = std::move(p)](api_result<json> r) { self->done(p, r); };
  if (create)
    client->create(resources::events(), ns, std::move(body), std::move(cb));
  else
    client->patch(resources::events(), ns, name, patch_type::merge, std::move(body), std::move(cb));
}

void event_recorder::state::done(const pending& done_write, const api_result<json>& r) {
  const key& k = done_write.k;
  bool created = done_write.create;
  std::unique_lock lock(mutex);
  if (r.is_ok())
    ++written;
  auto it = entries.find(k);
  if (it == entries.end() || it->second.serial != done_write.serial) {
    if (!r.is_ok())
      last_error = (created ? "create event: " : "patch event: ") + r.error().to_string();
    return;
  }
  entry& e = it->second;
  e.in_flight = false;
  if (r.is_ok()) {
    e.sent_count = done_write.count;
  } else if (!created && r.is(api_error_kind::not_found)) {
    e.sent_count = 0; // the Event expired (events have a TTL): create it again, once
  } else {
    last_error = std::string(created ? "create event " : "patch event ") + e.namespace_ + "/" + e.event_name + ": "
                 + r.error().to_string();
    if (created)
      e.event_name = e.object.name + "." + name_suffix(); // never repeat a name the server refused
    return; // the next occurrence tries again with the whole count; no retry loop here
  }
  if (e.count <= e.sent_count)
    return;
  auto p = prepare(k, e);
  lock.unlock();
  send(std::move(p));
}

event_recorder::event_recorder(std::shared_ptr<kube_client> client, std::string component)
    : state_(std::make_shared<state>()) {
  state_->client = std::move(client);
  state_->component = std::move(component);
  state_->instance = host_name();
  if (state_->instance.empty())
    state_->instance = state_->component;
}

void event_recorder::record(const object_reference& obj, const std::string& type, const std::string& reason,
                            const std::string& message) {
  auto now = clock_type::now();
  key k{obj.uid + "|" + obj.kind + "/" + obj.namespace_ + "/" + obj.name, type, reason, truncate_message(message)};
  std::unique_lock lock(state_->mutex);
  auto [it, fresh] = state_->entries.try_emplace(k);
  entry& e = it->second;
  if (fresh) {
    e.object = obj;
    e.event_name = obj.name + "." + name_suffix();
    e.namespace_ = obj.namespace_.empty() ? "default" : obj.namespace_;
    e.first = now;
    e.serial = ++state_->serials;
  }
  ++e.count;
  e.last = now;
  if (e.in_flight) {
    state_->touch(k, e);
    return; // sent when the write in flight completes
  }
  auto p = state_->prepare(k, e);
  state_->touch(k, e); // may forget the oldest key, never this one (it is the newest)
  lock.unlock();
  state_->send(std::move(p));
}

uint64_t event_recorder::written() const {
  std::lock_guard lock(state_->mutex);
  return state_->written;
}

std::string event_recorder::last_error() const {
  std::lock_guard lock(state_->mutex);
  return state_->last_error;
}

} // namespace kactor::integrations::kubernetes
