#include "sim/world/api_server/patch.hpp"
#include "model/json_read.hpp"

#include <map>

namespace kactor::sim {

namespace {

using json = nlohmann::json;

// patchMergeKey of the list fields kubectl patches most (from the Kubernetes API types).
const std::map<std::string, std::string>& merge_keys() {
  static const std::map<std::string, std::string> keys{
    {"containers", "name"},    {"initContainers", "name"}, {"ephemeralContainers", "name"},
    {"volumes", "name"},       {"env", "name"},            {"volumeMounts", "mountPath"},
    {"ports", "containerPort"}, {"imagePullSecrets", "name"}, {"ownerReferences", "uid"},
    {"conditions", "type"},    {"hostAliases", "ip"},     {"topologySpreadConstraints", "topologyKey"},
  };
  return keys;
}

json strategic(json target, const json& patch);

json merge_list(json target, const json& patch, const std::string& key) {
  if (!target.is_array())
    target = json::array();
  for (const auto& item : patch) {
    if (!item.is_object() || !item.contains(key)) {
      target.push_back(item);
      continue;
    }
    auto it = std::find_if(target.begin(), target.end(),
                           [&](const json& t) { return t.is_object() && t.contains(key) && t[key] == item[key]; });
    bool remove = model::string_or(item, "$patch") == "delete";
    if (it != target.end() && remove)
      target.erase(it);
    else if (it != target.end())
      *it = strategic(*it, item);
    else if (!remove)
      target.push_back(strategic(json::object(), item));
  }
  return target;
}

json strategic(json target, const json& patch) {
  if (!patch.is_object())
    return patch;
  if (model::string_or(patch, "$patch") == "replace") {
    json replaced = patch;
    replaced.erase("$patch");
    return replaced;
  }
  if (!target.is_object())
    target = json::object();
  for (const auto& [key, value] : patch.items()) {
    if (key == "$patch" || key == "$retainKeys" || key.rfind("$setElementOrder/", 0) == 0)
      continue;
    if (key.rfind("$deleteFromPrimitiveList/", 0) == 0) {
      auto field = key.substr(std::string{"$deleteFromPrimitiveList/"}.size());
      if (target.contains(field) && target[field].is_array() && value.is_array())
        for (const auto& v : value)
          target[field].erase(std::remove(target[field].begin(), target[field].end(), v), target[field].end());
      continue;
    }
    if (value.is_null()) {
      target.erase(key);
    } else if (model::string_or(value, "$patch") == "delete") {
      target.erase(key);
    } else if (value.is_object()) {
      target[key] = strategic(target.value(key, json::object()), value);
    } else if (value.is_array() && merge_keys().contains(key)) {
      target[key] = merge_list(target.value(key, json::array()), value, merge_keys().at(key));
    } else if (value.is_array() && key == "finalizers") {
      json merged = target.value(key, json::array());
      for (const auto& f : value)
        if (std::find(merged.begin(), merged.end(), f) == merged.end())
          merged.push_back(f);
      target[key] = merged;
    } else {
      target[key] = value;
    }
  }
  return target;
}

} // namespace

std::optional<patch_type> patch_type_for(const std::string& content_type) {
  auto base = content_type.substr(0, content_type.find(';'));
  if (base == "application/merge-patch+json")
    return patch_type::merge;
  if (base == "application/json-patch+json")
    return patch_type::json_patch;
  if (base == "application/strategic-merge-patch+json")
    return patch_type::strategic;
  if (base == "application/apply-patch+yaml" || base == "application/apply-patch+json")
    return patch_type::apply;
  return std::nullopt;
}

model::result<nlohmann::json> apply_patch(patch_type type, const nlohmann::json& target,
                                          const nlohmann::json& patch) {
  switch (type) {
    case patch_type::merge: {
      if (!patch.is_object())
        return model::status::invalid("a merge patch must be a JSON object");
      json out = target;
      out.merge_patch(patch);
      return out;
    }
    case patch_type::json_patch:
      if (!patch.is_array())
        return model::status::invalid("a JSON patch must be an array of operations");
      try {
        return target.patch(patch);
      } catch (const json::exception& e) {
        return model::status::invalid(std::string{"JSON patch failed: "} + e.what());
      }
    case patch_type::strategic:
    case patch_type::apply:
      if (!patch.is_object())
        return model::status::invalid("a strategic merge patch must be a JSON object");
      return strategic(target, patch);
  }
  return model::status::unsupported("unknown patch type");
}

} // namespace kactor::sim
