// The object store's writes (object_store.hpp): create, update, modify and delete with the kube-apiserver's
// semantics — server-owned fields, generation, optimistic concurrency, the status subresource, CRDs,
// finalizers, graceful pod deletion, namespace and owner-reference garbage collection, Secrets' data.
#include "sim/world/api_server/object_store.hpp"

#include "model/hash.hpp"
#include "model/json_read.hpp"
#include "sim/world/api_server/crd_admission.hpp"
#include "sim/world/api_server/object_store_keys.hpp"
#include "sim/world/encoding.hpp"

namespace kactor::sim {

using detail::not_found;
using detail::object_key;

namespace {

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
  return api_error{422, "Invalid", t.kind + " \"" + model::string_or(meta, "name") + "\" is invalid: metadata.annotations: "
                                     "Too long: must have at most 262144 bytes"};
}

// Go's name of a JSON value's type, as encoding/json's UnmarshalTypeError says it.
const char* json_type(const json& v) {
  if (v.is_string())
    return "string";
  if (v.is_number())
    return "number";
  if (v.is_boolean())
    return "bool";
  if (v.is_array())
    return "array";
  if (v.is_object())
    return "object";
  return "null";
}

// ObjectMeta as kube-apiserver decodes it into its Go struct: a field of another JSON type is refused with
// 400 before anything else looks at the object (so that nothing later — ownerReferences, finalizers, labels —
// can meet a wrong type). null reads as absent, as in Go.
std::optional<api_error> check_object_meta(const resource_type& t, const json& o) {
  auto bad = [&t](const json& v, const std::string& field, const char* go_type) {
    return api_error{400, "BadRequest", t.kind + " in version \"" + t.version + "\" cannot be handled as a " + t.kind
                                            + ": json: cannot unmarshal " + json_type(v)
                                            + " into Go struct field ObjectMeta.metadata." + field + " of type " + go_type};
  };
  const auto& meta = o["metadata"];
  if (!meta.is_object())
    return bad(meta, "", "v1.ObjectMeta");
  for (const char* f : {"name", "generateName", "namespace", "uid", "resourceVersion", "creationTimestamp",
                        "deletionTimestamp"})
    if (meta.contains(f) && !meta[f].is_null() && !meta[f].is_string())
      return bad(meta[f], f, "string");
  for (const char* f : {"generation", "deletionGracePeriodSeconds"})
    if (meta.contains(f) && !meta[f].is_null() && !meta[f].is_number_integer())
      return bad(meta[f], f, "int64");
  for (const char* f : {"labels", "annotations"})
    if (meta.contains(f) && !meta[f].is_null()) {
      if (!meta[f].is_object())
        return bad(meta[f], f, "map[string]string");
      for (const auto& [k, v] : meta[f].items())
        if (!v.is_string())
          return bad(v, f, "string");
    }
  if (meta.contains("finalizers") && !meta["finalizers"].is_null()) {
    if (!meta["finalizers"].is_array())
      return bad(meta["finalizers"], "finalizers", "[]string");
    for (const auto& v : meta["finalizers"])
      if (!v.is_string())
        return bad(v, "finalizers", "string");
  }
  if (meta.contains("ownerReferences") && !meta["ownerReferences"].is_null()) {
    if (!meta["ownerReferences"].is_array())
      return bad(meta["ownerReferences"], "ownerReferences", "[]v1.OwnerReference");
    for (const auto& ref : meta["ownerReferences"]) {
      if (!ref.is_object())
        return bad(ref, "ownerReferences", "v1.OwnerReference");
      for (const char* f : {"apiVersion", "kind", "name", "uid"})
        if (ref.contains(f) && !ref[f].is_null() && !ref[f].is_string())
          return bad(ref[f], std::string{"ownerReferences."} + f, "string");
      for (const char* f : {"controller", "blockOwnerDeletion"})
        if (ref.contains(f) && !ref[f].is_null() && !ref[f].is_boolean())
          return bad(ref[f], std::string{"ownerReferences."} + f, "bool");
    }
  }
  return std::nullopt;
}

// Standard base64 as Go's encoding/base64.StdEncoding takes it: groups of four, '=' only as final padding.
bool is_base64(const std::string& s) {
  if (s.size() % 4 != 0)
    return false;
  size_t pad = 0;
  while (pad < 2 && pad < s.size() && s[s.size() - 1 - pad] == '=')
    ++pad;
  for (size_t i = 0; i + pad < s.size(); ++i) {
    char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'))
      return false;
  }
  return true;
}

// A Secret as kube-apiserver decodes it (core/v1 Secret: `data` is []byte, so base64 on the wire;
// `stringData` is write-only and merged into `data` on every write, its keys winning): nullopt, or the
// 400 a value that is not base64 gets.
std::optional<api_error> fold_secret_data(const resource_type& type, json& object) {
  if (type.group != "" || type.resource != "secrets")
    return std::nullopt;
  auto bad = [](const std::string& why) {
    return api_error{400, "BadRequest", "Secret in version \"v1\" cannot be handled as a Secret: " + why};
  };
  if (object.contains("data") && !object["data"].is_null()) {
    if (!object["data"].is_object())
      return bad("data: expected a map");
    for (const auto& [key, value] : object["data"].items())
      if (!value.is_string() || !is_base64(value.get<std::string>()))
        return bad("illegal base64 data in data." + key);
  }
  if (object.contains("stringData")) {
    if (!object["stringData"].is_null() && !object["stringData"].is_object())
      return bad("stringData: expected a map");
    if (object["stringData"].is_object())
      for (const auto& [key, value] : object["stringData"].items()) {
        if (!value.is_string())
          return bad("stringData." + key + ": expected a string");
        object["data"][key] = base64(value.get<std::string>());
      }
    object.erase("stringData");
  }
  return std::nullopt;
}

bool has_finalizers(const json& o) {
  const auto& m = o["metadata"];
  return m.contains("finalizers") && m["finalizers"].is_array() && !m["finalizers"].empty();
}

} // namespace

store_result object_store::create(const resource_type& type, const std::string& ns, json object) {
  std::lock_guard guard{mutex_};
  if (!object.is_object())
    return {{}, api_error{400, "BadRequest", "the body must be a JSON object"}};
  if (!object.contains("metadata") || !object["metadata"].is_object())
    object["metadata"] = json::object();
  if (auto err = check_namespace(type, ns))
    return {{}, err};
  if (auto err = check_object_meta(type, object))
    return {{}, err};
  auto& meta = object["metadata"];
  // Request bodies come from any client (kubectl, curl): a field of another type reads as absent.
  std::string name = model::string_or(meta, "name");
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
  if (auto err = fold_secret_data(type, object))
    return {{}, err};
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
    auto rv = model::string_or(object, "/metadata/resourceVersion"_json_pointer);
    if (!rv.empty() && rv != current["metadata"].value("resourceVersion", ""))
      return conflict(type, name);
    auto body_name = model::string_or(object, "/metadata/name"_json_pointer, name);
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
  if (auto err = check_object_meta(type, next))
    return {{}, err};
  decode_custom_resource(type, next); // the whole body, as kube-apiserver decodes it before the merge below
  if (auto err = fold_secret_data(type, next))
    return {{}, err};
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

} // namespace kactor::sim
