#include "model/identity.hpp"

#include "model/render/metadata.hpp"

namespace kactor::model {

namespace {

std::string text_at(const nlohmann::json& meta, const char* map, const char* key) {
  auto it = meta.find(map);
  if (it == meta.end() || !it->is_object())
    return "";
  auto v = it->find(key);
  return v != it->end() && v->is_string() ? v->get<std::string>() : "";
}

} // namespace

std::optional<int32_t> parse_broker_id(std::string_view text) {
  if (text.empty() || text.size() > 9)
    return std::nullopt;
  int32_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

object_identity broker_identity_of(const nlohmann::json& object) {
  object_identity out;
  if (!object.is_object())
    return out;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object())
    return out;
  if (auto ns = meta->find("namespace"); ns != meta->end() && ns->is_string())
    out.namespace_ = ns->get<std::string>();
  out.cluster = text_at(*meta, "labels", cluster_label);
  out.broker_id = parse_broker_id(text_at(*meta, "labels", broker_id_label));
  out.mount_path = text_at(*meta, "annotations", mount_path_annotation);
  return out;
}

} // namespace kactor::model
