#include "integrations/sim/api_server/object_store.hpp"

#include <chrono>
#include <ctime>

#include "integrations/sim/api_server/crd_admission.hpp"
#include "integrations/sim/encoding.hpp"
#include "model/hash.hpp"

namespace kactor::integrations::sim {

json api_error::to_status() const {
  json status = {{"kind", "Status"},   {"apiVersion", "v1"}, {"metadata", json::object()}, {"status", "Failure"},
                 {"message", message}, {"reason", reason},   {"code", code}};
  if (!details.is_null())
    status["details"] = details;
  return status;
}

namespace {

std::string object_key(const std::string& ns, const std::string& name) {
  return ns + "/" + name;
}

api_error not_found(const resource_type& t, const std::string& name) {
  return {404, "NotFound", t.key() + " \"" + name + "\" not found"};
}

api_error conflict(const resource_type& t, const std::string& name) {
  return {409, "Conflict",
          "Operation cannot be fulfilled on " + t.key() + " \"" + name
            + "\": the object has been modified; please apply your changes to the latest version and try again"};
}

bool is_dns_subdomain(const std::string& s) {
  if (s.empty() || s.size() > 253)
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !((c == '-' || c == '.') && i > 0 && i + 1 < s.size()))
      return false;
  }
  return true;
}

// The part of an object whose change bumps metadata.generation.
json generation_relevant(const json& o) {
  json copy = o;
  copy.erase("metadata");
  copy.erase("status");
  return copy;
}

json without_version(json o) {
  if (o.contains("metadata") && o["metadata"].is_object())
    o["metadata"].erase("resourceVersion");
  return o;
}

// The apiserver's limit on the total size of an object's annotations (why Koperator's 1.6 MB CRD cannot be
// applied client-side: the last-applied annotation would carry all of it).
constexpr size_t max_annotations_bytes = 262144;

std::optional<api_error> check_annotations(const resource_type& t, const json& o) {
  const auto& meta = o["metadata"];
  if (!meta.contains("annotations") || !meta["annotations"].is_object())
    return std::nullopt;
  size_t total = 0;
  for (const auto& [k, v] : meta["annotations"].items())
    total += k.size() + (v.is_string() ? v.get_ref<const std::string&>().size() : v.dump().size());
  if (total <= max_annotations_bytes)
    return std::nullopt;
  return api_error{422, "Invalid", t.kind + " \"" + meta.value("name", "") + "\" is invalid: metadata.annotations: "
                                     "Too long: must have at most 262144 bytes"};
}

bool has_finalizers(const json& o) {
  const auto& m = o["metadata"];
  return m.contains("finalizers") && m["finalizers"].is_array() && !m["finalizers"].empty();
}

} // namespace

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

object_store::object_store(std::shared_ptr<resource_registry> registry, options opts)
  : registry_(std::move(registry)), opts_(std::move(opts)) {
  if (!opts_.now)
    opts_.now = rfc3339_now;
}

std::string object_store::now() const {
  return opts_.now();
}

std::string object_store::next_uid() {
  // Deterministic, UUID-shaped: simulations must replay identically for a seed.
  ++uid_counter_;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012llx", static_cast<unsigned>(uid_counter_ >> 48),
                static_cast<unsigned long long>(uid_counter_ & 0xffffffffffffULL));
  return buf;
}

std::string object_store::stamp(json& object) {
  object["metadata"]["resourceVersion"] = std::to_string(++version_);
  ++writes_;
  return object["metadata"]["resourceVersion"];
}

std::optional<api_error> object_store::check_namespace(const resource_type& type, const std::string& ns) const {
  if (!type.namespaced)
    return std::nullopt;
  if (ns.empty())
    return api_error{400, "BadRequest", "a namespace is required for " + type.key()};
  auto it = objects_.find("namespaces");
  if (it == objects_.end() || !it->second.contains(object_key("", ns)))
    return api_error{404, "NotFound", "namespaces \"" + ns + "\" not found"};
  const json& n = it->second.at(object_key("", ns));
  if (n["metadata"].contains("deletionTimestamp"))
    return api_error{403, "Forbidden", "unable to create new content in namespace " + ns
                                         + " because it is being terminated"};
  return std::nullopt;
}

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

store_result object_store::create(const resource_type& type, const std::string& ns, json object) {
  std::lock_guard guard{mutex_};
  if (!object.is_object())
    return {{}, api_error{400, "BadRequest", "the body must be a JSON object"}};
  if (!object.contains("metadata") || !object["metadata"].is_object())
    object["metadata"] = json::object();
  if (auto err = check_namespace(type, ns))
    return {{}, err};
  auto& meta = object["metadata"];
  std::string name = meta.value("name", "");
  if (name.empty() && meta.contains("generateName") && meta["generateName"].is_string()) {
    // generateName + 5 characters, as the apiserver does; deterministic here.
    name = meta["generateName"].get<std::string>() + model::short_hash(std::to_string(uid_counter_) + ns, 5);
    meta["name"] = name;
  }
  if (!is_dns_subdomain(name))
    return {{}, api_error{422, "Invalid", type.kind + " \"" + name + "\" is invalid: metadata.name: Invalid value: \""
                                            + name + "\": a lowercase RFC 1123 subdomain must consist of lower case "
                                                     "alphanumeric characters, '-' or '.'"}};
  if (auto err = check_annotations(type, object))
    return {{}, err};
  auto& bucket = objects_[type.key()];
  types_by_key_.emplace(type.key(), type);
  auto key = object_key(type.namespaced ? ns : "", name);
  if (bucket.contains(key))
    return {{}, api_error{409, "AlreadyExists", type.key() + " \"" + name + "\" already exists"}};
  if (type.namespaced)
    meta["namespace"] = ns;
  else
    meta.erase("namespace");
  meta["uid"] = next_uid();
  meta["creationTimestamp"] = now();
  meta["generation"] = 1;
  meta.erase("deletionTimestamp");
  object["apiVersion"] = type.group_version();
  object["kind"] = type.kind;
  decode_custom_resource(type, object);
  if (type.has_status && type.group != "" )
    object.erase("status"); // custom resources with a status subresource ignore status on create
  if (auto err = validate_custom_resource(type, object, nullptr))
    return {{}, err};
  if (type.resource == "namespaces")
    object["status"] = {{"phase", "Active"}};
  if (type.resource == "customresourcedefinitions") {
    if (auto err = registry_->add_crd(object); !err.empty())
      return {{}, api_error{422, "Invalid", "CustomResourceDefinition \"" + name + "\" is invalid: " + err}};
    object["status"] = {{"conditions", json::array({{{"type", "Established"}, {"status", "True"}},
                                                      {{"type", "NamesAccepted"}, {"status", "True"}}})},
                        {"acceptedNames", object["spec"].value("names", json::object())}};
  }
  stamp(object);
  bucket[key] = object;
  emit(type.key(), "ADDED", object, nullptr);
  return {object, std::nullopt};
}

store_result object_store::get(const resource_type& type, const std::string& ns, const std::string& name) const {
  std::lock_guard guard{mutex_};
  auto bucket = objects_.find(type.key());
  auto key = object_key(type.namespaced ? ns : "", name);
  if (bucket == objects_.end() || !bucket->second.contains(key))
    return {{}, not_found(type, name)};
  json out = bucket->second.at(key);
  out["apiVersion"] = type.group_version();
  return {out, std::nullopt};
}

list_result object_store::list(const resource_type& type, const std::string& ns, const selector& labels,
                               const selector& fields, size_t limit, const std::string& continue_token) const {
  std::lock_guard guard{mutex_};
  list_result out;
  out.resource_version = std::to_string(version_);
  auto bucket = objects_.find(type.key());
  if (bucket == objects_.end())
    return out;
  auto it = continue_token.empty() ? bucket->second.begin() : bucket->second.upper_bound(continue_token);
  for (; it != bucket->second.end(); ++it) {
    const json& o = it->second;
    if (type.namespaced && !ns.empty() && o["metadata"].value("namespace", "") != ns)
      continue;
    if (!matches_labels(labels, o) || !matches_fields(fields, o))
      continue;
    if (limit > 0 && out.items.size() == limit) {
      out.continue_token = std::prev(it)->first;
      break;
    }
    json item = o;
    item["apiVersion"] = type.group_version();
    out.items.push_back(std::move(item));
  }
  return out;
}

store_result object_store::write_update(const resource_type& type, const std::string& key, json next,
                                        const json& current) {
  auto& meta = next["metadata"];
  // Fields the server owns cannot be changed by a client.
  for (const char* owned : {"uid", "creationTimestamp", "namespace", "name", "deletionTimestamp",
                            "deletionGracePeriodSeconds"}) {
    if (current["metadata"].contains(owned))
      meta[owned] = current["metadata"][owned];
    else
      meta.erase(owned);
  }
  next["apiVersion"] = type.group_version();
  next["kind"] = type.kind;
  int64_t generation = current["metadata"].value("generation", 1);
  meta["generation"] = generation_relevant(next) != generation_relevant(current) ? generation + 1 : generation;
  meta["resourceVersion"] = current["metadata"]["resourceVersion"];
  if (next == current)
    return {current, std::nullopt}; // a no-op write changes nothing, not even the resourceVersion
  if (auto err = check_annotations(type, next))
    return {{}, err};
  if (meta.contains("deletionTimestamp") && !has_finalizers(next) && type.resource != "pods") {
    objects_[type.key()][key] = next;
    return finish_delete(type, key, "Background");
  }
  stamp(next);
  objects_[type.key()][key] = next;
  emit(type.key(), "MODIFIED", next, current);
  return {next, std::nullopt};
}

store_result object_store::update(const resource_type& type, const std::string& ns, const std::string& name,
                                  json object, bool status_only) {
  return modify(type, ns, name, status_only, false, [&](const json& current) -> std::variant<json, api_error> {
    if (!object.is_object())
      return api_error{400, "BadRequest", "the body must be a JSON object"};
    auto rv = object.contains("metadata") && object["metadata"].is_object()
                ? object["metadata"].value("resourceVersion", "")
                : "";
    if (!rv.empty() && rv != current["metadata"].value("resourceVersion", ""))
      return conflict(type, name);
    auto body_name = object.contains("metadata") ? object["metadata"].value("name", name) : name;
    if (body_name != name)
      return api_error{400, "BadRequest", "the name of the object (" + body_name
                                            + ") does not match the name on the URL (" + name + ")"};
    return object;
  });
}

store_result object_store::modify(const resource_type& type, const std::string& ns, const std::string& name,
                                  bool status_only, bool create_if_missing,
                                  const std::function<std::variant<json, api_error>(const json&)>& change) {
  std::lock_guard guard{mutex_};
  auto key = object_key(type.namespaced ? ns : "", name);
  auto& bucket = objects_[type.key()];
  auto it = bucket.find(key);
  if (it == bucket.end()) {
    if (!create_if_missing)
      return {{}, not_found(type, name)};
    auto created = change(json{});
    if (auto* err = std::get_if<api_error>(&created))
      return {{}, *err};
    json object = std::get<json>(created);
    object["metadata"]["name"] = name;
    return create(type, ns, std::move(object));
  }
  const json current = it->second;
  auto changed = change(current);
  if (auto* err = std::get_if<api_error>(&changed))
    return {{}, *err};
  json next = std::move(std::get<json>(changed));
  if (!next.is_object() || !next.contains("metadata") || !next["metadata"].is_object())
    return {{}, api_error{422, "Invalid", type.kind + " \"" + name + "\" is invalid: metadata: Required value"}};
  decode_custom_resource(type, next); // the whole body, as kube-apiserver decodes it before the merge below
  if (type.has_status) {
    // The status subresource owns status; the main resource owns everything else.
    json merged = current;
    if (status_only) {
      merged["status"] = next.value("status", json::object());
    } else {
      merged = next;
      if (current.contains("status"))
        merged["status"] = current["status"];
      else
        merged.erase("status");
    }
    next = std::move(merged);
  }
  if (auto err = validate_custom_resource(type, next, &current))
    return {{}, err};
  if (type.resource == "customresourcedefinitions") {
    // An updated CRD is served with its schemas recompiled. The annotations are checked first so that a write
    // refused for them (kubectl apply of a large CRD) leaves the registry serving what the store holds.
    if (auto err = check_annotations(type, next))
      return {{}, err};
    if (auto err = registry_->add_crd(next); !err.empty())
      return {{}, api_error{422, "Invalid", "CustomResourceDefinition \"" + name + "\" is invalid: " + err}};
  }
  return write_update(type, key, std::move(next), current);
}

store_result object_store::finish_delete(const resource_type& type, const std::string& key,
                                         const std::string& propagation) {
  auto& bucket = objects_[type.key()];
  json gone = bucket.at(key);
  bucket.erase(key);
  stamp(gone);
  emit(type.key(), "DELETED", gone, nullptr);
  if (type.resource == "customresourcedefinitions") {
    registry_->remove_crd(gone["metadata"].value("name", ""));
    auto spec = gone.value("spec", json::object());
    auto served = spec.value("names", json::object()).value("plural", "") + "." + spec.value("group", "");
    if (auto objs = objects_.find(served); objs != objects_.end()) {
      auto served_type = types_by_key_.at(served);
      while (!objs->second.empty())
        finish_delete(served_type, objs->second.begin()->first, "Background");
    }
  }
  if (type.resource == "namespaces") {
    auto ns = gone["metadata"].value("name", "");
    for (auto& [rkey, objs] : objects_) {
      auto t = types_by_key_.find(rkey);
      if (t == types_by_key_.end() || !t->second.namespaced)
        continue;
      std::vector<std::string> keys;
      for (const auto& [k, o] : objs)
        if (o["metadata"].value("namespace", "") == ns)
          keys.push_back(k);
      for (const auto& k : keys)
        if (objs.contains(k))
          finish_delete(t->second, k, "Background");
    }
  }
  if (propagation != "Orphan")
    delete_dependents(gone["metadata"].value("uid", ""), propagation);
  return {gone, std::nullopt};
}

void object_store::delete_dependents(const std::string& owner_uid, const std::string& propagation) {
  if (owner_uid.empty())
    return;
  std::vector<std::pair<resource_type, std::string>> dependents;
  for (const auto& [rkey, objs] : objects_)
    for (const auto& [k, o] : objs)
      for (const auto& ref : o["metadata"].value("ownerReferences", json::array()))
        if (ref.value("uid", "") == owner_uid && types_by_key_.contains(rkey))
          dependents.emplace_back(types_by_key_.at(rkey), k);
  for (const auto& [type, k] : dependents) {
    auto& bucket = objects_[type.key()];
    if (!bucket.contains(k))
      continue;
    const json& o = bucket.at(k);
    delete_options opts;
    opts.propagation = propagation;
    remove(type, o["metadata"].value("namespace", ""), o["metadata"].value("name", ""), opts);
  }
}

store_result object_store::remove(const resource_type& type, const std::string& ns, const std::string& name,
                                  const delete_options& opts) {
  std::lock_guard guard{mutex_};
  auto key = object_key(type.namespaced ? ns : "", name);
  auto& bucket = objects_[type.key()];
  auto it = bucket.find(key);
  if (it == bucket.end())
    return {{}, not_found(type, name)};
  const json current = it->second;
  const auto& meta = current["metadata"];
  if (opts.precondition_uid && *opts.precondition_uid != meta.value("uid", ""))
    return {{}, api_error{409, "Conflict", "Precondition failed: UID in precondition: " + *opts.precondition_uid
                                             + ", UID in object meta: " + meta.value("uid", "")}};
  if (opts.precondition_resource_version && *opts.precondition_resource_version != meta.value("resourceVersion", ""))
    return {{}, api_error{409, "Conflict", "Precondition failed: ResourceVersion in precondition: "
                                             + *opts.precondition_resource_version
                                             + ", ResourceVersion in object meta: " + meta.value("resourceVersion", "")}};
  json next = current;
  if (opts.propagation == "Foreground" && !meta.contains("deletionTimestamp")) {
    // Dependents go first; the owner follows once they are gone (all at once here: no kubelet waits).
    delete_dependents(meta.value("uid", ""), "Foreground");
  }
  // A pod on a node terminates gracefully: the kubelet finishes the deletion after the grace period.
  int64_t grace = opts.grace_period_seconds.value_or(
    current.value("spec", json::object()).value("terminationGracePeriodSeconds", 30));
  bool graceful_pod = type.resource == "pods" && grace > 0
                      && !current.value("spec", json::object()).value("nodeName", "").empty();
  if (has_finalizers(current) || graceful_pod) {
    if (meta.contains("deletionTimestamp"))
      return {current, std::nullopt};
    next["metadata"]["deletionTimestamp"] = now();
    if (graceful_pod)
      next["metadata"]["deletionGracePeriodSeconds"] = grace;
    stamp(next);
    bucket[key] = next;
    emit(type.key(), "MODIFIED", next, current);
    return {next, std::nullopt};
  }
  return finish_delete(type, key, opts.propagation);
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

uint64_t object_store::resource_version() const {
  std::lock_guard guard{mutex_};
  return version_;
}

uint64_t object_store::write_count() const {
  std::lock_guard guard{mutex_};
  return writes_;
}

} // namespace kactor::integrations::sim
