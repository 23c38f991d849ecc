#include "model/diff/object_diff.hpp"

#include <optional>
#include <set>

#include "model/quantity.hpp"
#include "model/render/cruise_control_configmap.hpp"
#include "model/render/cruise_control_deployment.hpp"
#include "model/render/cruise_control_service.hpp"
#include "model/render/jmx_exporter_configmap.hpp"
#include "model/render/metadata.hpp"

// Decisions the header leaves open, kept here so that callers and tests agree:
// - A null in `desired` means "absent": it matches an observed field that is missing or null, and
//   merged_for_update removes the field (JSON merge-patch semantics). Renders do not emit nulls today.
// - Numbers compare by value (1 == 1.0 == 1u): the API server may re-encode a number it read back.
// - A difference at the root (e.g. `desired` is an object and `observed` is not) is reported as ".".
// - plan_pvc ignores the storage class: it is immutable on a bound PVC, so a difference could never be
//   written; sizes that do not parse as quantities leave the PVC alone (none), never guess a grow.

namespace kactor::model {

namespace {

std::string join_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string join_index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string or_root(const std::string& path) {
  return path.empty() ? "." : path;
}

bool scalar_equal(const json& desired, const json& observed) {
  // nlohmann compares integers, unsigned and floats across types by value.
  if (desired.is_number() && observed.is_number())
    return desired == observed;
  return desired.type() == observed.type() && desired == observed;
}

// The path of the first field of `desired` that `observed` lacks or holds differently, or nullopt.
std::optional<std::string> difference(const json& desired, const json& observed, const std::string& path);

std::optional<std::string> object_difference(const json& desired, const json& observed, const std::string& path) {
  if (!observed.is_object())
    return or_root(path);
  for (const auto& [key, value] : desired.items()) {
    auto it = observed.find(key);
    if (it == observed.end()) {
      if (value.is_null())
        continue; // "absent" is what was asked for
      return join_key(path, key);
    }
    if (auto d = difference(value, *it, join_key(path, key)))
      return d;
  }
  return std::nullopt;
}

std::optional<std::string> array_difference(const json& desired, const json& observed, const std::string& path) {
  // Equal length: an extra element in `observed` (a port, a toleration) changes behaviour, unlike an
  // extra field, which is almost always a server default.
  if (!observed.is_array() || observed.size() != desired.size())
    return or_root(path);
  for (size_t i = 0; i < desired.size(); ++i)
    if (auto d = difference(desired[i], observed[i], join_index(path, i)))
      return d;
  return std::nullopt;
}

std::optional<std::string> difference(const json& desired, const json& observed, const std::string& path) {
  if (desired.is_object())
    return object_difference(desired, observed, path);
  if (desired.is_array())
    return array_difference(desired, observed, path);
  if (desired.is_null())
    return observed.is_null() ? std::nullopt : std::optional<std::string>{or_root(path)};
  if (!scalar_equal(desired, observed))
    return or_root(path);
  return std::nullopt;
}

std::optional<quantity> storage_request(const json& pvc) {
  const json* storage = &pvc;
  for (const char* key : {"spec", "resources", "requests", "storage"}) {
    if (!storage->is_object() || !storage->contains(key))
      return std::nullopt;
    storage = &(*storage)[key];
  }
  if (!storage->is_string())
    return std::nullopt;
  auto q = parse_quantity(storage->get<std::string>());
  return q ? std::optional<quantity>{*q} : std::nullopt;
}

} // namespace

bool needs_update(const json& desired, const json& observed) {
  return difference(desired, observed, "").has_value();
}

std::string first_difference(const json& desired, const json& observed) {
  return difference(desired, observed, "").value_or("");
}

object_action plan_object(const json& desired, const json& observed) {
  if (observed.is_null())
    return object_action::create;
  return needs_update(desired, observed) ? object_action::update : object_action::none;
}

json merged_for_update(const json& desired, const json& observed) {
  if (!desired.is_object() || !observed.is_object())
    return desired;
  json out = observed;
  for (const auto& [key, value] : desired.items()) {
    if (value.is_null())
      out.erase(key);
    else if (value.is_object() && out.contains(key))
      out[key] = merged_for_update(value, out[key]);
    else
      out[key] = value; // arrays and scalars: kactor's version wins whole
  }
  return out;
}

pvc_action plan_pvc(const json& desired, const json& observed) {
  if (observed.is_null())
    return pvc_action::create;
  auto want = storage_request(desired);
  auto have = storage_request(observed);
  if (!want || !have)
    return pvc_action::none;
  if (*have < *want)
    return pvc_action::grow;
  if (*have > *want)
    return pvc_action::refuse_shrink;
  return pvc_action::none;
}

std::vector<json> stale_cluster_objects(const kafka_cluster& c, const std::vector<json>& desired, resource_kind kind,
                                        const std::vector<json>& observed) {
  std::vector<json> out;
  if (c.metadata.uid.empty())
    return out;
  const std::set<std::pair<resource_kind, std::string>> ever = {
    {resource_kind::service, headless_service_name(c)},
    {resource_kind::service, controller_headless_service_name(c)},
    {resource_kind::service, all_broker_service_name(c)},
    {resource_kind::pod_disruption_budget, pdb_name(c)},
    {resource_kind::configmap, jmx_exporter_configmap_name(c)},
    {resource_kind::configmap, cruise_control_configmap_name(c)},
    {resource_kind::service, cruise_control_service_name(c)},
    {resource_kind::deployment, cruise_control_deployment_name(c)},
  };
  auto name_of = [](const json& o) {
    return o.contains("metadata") && o["metadata"].is_object() ? o["metadata"].value("name", "") : std::string{};
  };
  std::set<std::pair<resource_kind, std::string>> wanted;
  for (const auto& d : desired)
    if (auto k = resource_kind_of(d))
      wanted.insert({*k, name_of(d)});
  for (const auto& o : observed) {
    if (!o.is_object())
      continue;
    std::pair key{kind, name_of(o)};
    if (!ever.contains(key) || wanted.contains(key))
      continue;
    bool controlled = false;
    for (const auto& ref : o["metadata"].value("ownerReferences", json::array()))
      controlled |= ref.is_object() && ref.value("uid", "") == c.metadata.uid && ref.value("controller", false);
    if (controlled)
      out.push_back(o);
  }
  return out;
}

} // namespace kactor::model
