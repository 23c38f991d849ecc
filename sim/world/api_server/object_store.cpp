#include "sim/world/api_server/object_store.hpp"

#include <chrono>
#include <ctime>

#include "sim/world/api_server/object_store_keys.hpp"
#include "sim/world/encoding.hpp"

namespace kactor::sim {

using detail::not_found;
using detail::object_key;

json api_error::to_status() const {
  json status = {{"kind", "Status"},   {"apiVersion", "v1"}, {"metadata", json::object()}, {"status", "Failure"},
                 {"message", message}, {"reason", reason},   {"code", code}};
  if (!details.is_null())
    status["details"] = details;
  return status;
}

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

size_t object_store::count(const resource_type& type) const {
  std::lock_guard guard{mutex_};
  auto bucket = objects_.find(type.key());
  return bucket == objects_.end() ? 0 : bucket->second.size();
}

uint64_t object_store::resource_version() const {
  std::lock_guard guard{mutex_};
  return version_;
}

uint64_t object_store::write_count() const {
  std::lock_guard guard{mutex_};
  return writes_;
}

std::vector<std::string> object_store::describe_changes_after(uint64_t version) const {
  std::lock_guard guard{mutex_};
  std::vector<std::string> out;
  for (const auto& c : history_) {
    if (c.version <= version)
      continue;
    const json& meta = c.object.contains("metadata") ? c.object["metadata"] : json::object();
    std::string line = c.type + " " + c.resource_key + " " + meta.value("namespace", "") + "/" + meta.value("name", "");
    if (c.type == "MODIFIED" && c.previous.is_object()) {
      std::string paths;
      for (const auto& op : json::diff(c.previous, c.object)) {
        auto path = op.value("path", "");
        if (path == "/metadata/resourceVersion" || path.rfind("/metadata/managedFields", 0) == 0)
          continue;
        paths += (paths.empty() ? "" : ", ") + path;
        // A short new value says what the write was about ("False", "Pending"), not only where.
        if (auto v = op.find("value"); v != op.end() && v->is_primitive()) {
          auto text = v->dump();
          paths += " = " + (text.size() > 80 ? text.substr(0, 77) + "..." : text);
        }
        if (paths.size() > 400) {
          paths += ", ...";
          break;
        }
      }
      line += " (" + (paths.empty() ? std::string{"no field changed"} : paths) + ")";
    }
    out.push_back(std::move(line));
  }
  return out;
}

} // namespace kactor::sim
