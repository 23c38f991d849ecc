#include "integrations/kubernetes/watch_event.hpp"

namespace kactor::integrations::kubernetes {

using nlohmann::json;

const char* to_string(watch_event_type type) {
  switch (type) {
  case watch_event_type::added: return "ADDED";
  case watch_event_type::modified: return "MODIFIED";
  case watch_event_type::deleted: return "DELETED";
  case watch_event_type::bookmark: return "BOOKMARK";
  case watch_event_type::error: return "ERROR";
  }
  return "ERROR";
}

namespace {

model::result<json> parse(std::string_view text, const char* what) {
  if (text.size() > k_max_document)
    return model::status::parse_error(std::string{what} + ": " + std::to_string(text.size()) + " bytes exceed the limit of " +
                                      std::to_string(k_max_document));
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based offset of the offending byte.
    return model::status::parse_error(std::string{what} + ": invalid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  } catch (const std::exception& e) {
    return model::status::parse_error(std::string{what} + ": " + e.what());
  }
}

/// Checks `obj` is an object whose metadata has string name (unless optional) and resourceVersion.
model::status check_object(const json& obj, const std::string& path, bool name_required) {
  if (!obj.is_object())
    return model::status::invalid(path + ": expected an object, got " + obj.type_name());
  auto md = obj.find("metadata");
  if (md == obj.end() || !md->is_object())
    return model::status::invalid(path + ".metadata: expected an object");
  for (const char* field : {"name", "namespace", "resourceVersion", "uid"}) {
    auto it = md->find(field);
    if (it != md->end() && !it->is_string())
      return model::status::invalid(path + ".metadata." + field + ": expected a string, got " + it->type_name());
  }
  if (name_required && !md->contains("name"))
    return model::status::invalid(path + ".metadata.name: missing");
  return {};
}

} // namespace

std::string metadata_field(const json& obj, const char* field) {
  auto md = obj.find("metadata");
  if (md == obj.end() || !md->is_object())
    return {};
  auto it = md->find(field);
  return it != md->end() && it->is_string() ? it->get<std::string>() : std::string{};
}

model::result<watch_event> decode_watch_event(std::string_view line) {
  auto doc = parse(line, "watch event");
  if (!doc.is_ok())
    return doc.error();
  const json& j = doc.value();
  if (!j.is_object())
    return model::status::invalid(std::string{"watch event: expected an object, got "} + j.type_name());
  auto t = j.find("type");
  if (t == j.end() || !t->is_string())
    return model::status::invalid("watch event.type: expected a string");
  watch_event ev;
  const auto& type = t->get_ref<const std::string&>();
  if (type == "ADDED")
    ev.type = watch_event_type::added;
  else if (type == "MODIFIED")
    ev.type = watch_event_type::modified;
  else if (type == "DELETED")
    ev.type = watch_event_type::deleted;
  else if (type == "BOOKMARK")
    ev.type = watch_event_type::bookmark;
  else if (type == "ERROR")
    ev.type = watch_event_type::error;
  else
    return model::status::invalid("watch event.type: unknown type \"" + type.substr(0, 40) + "\"");
  auto o = j.find("object");
  if (o == j.end() || !o->is_object())
    return model::status::invalid("watch event.object: expected an object");
  if (ev.type == watch_event_type::error) {
    auto code = o->find("code");
    if (code != o->end() && !code->is_number_integer())
      return model::status::invalid("watch event.object.code: expected an integer");
    ev.object = std::move(doc.value())["object"];
    return ev;
  }
  if (auto st = check_object(*o, "watch event.object", ev.type != watch_event_type::bookmark); !st.is_ok())
    return st;
  ev.object = std::move(doc.value())["object"];
  ev.name = metadata_field(ev.object, "name");
  ev.namespace_ = metadata_field(ev.object, "namespace");
  ev.resource_version = metadata_field(ev.object, "resourceVersion");
  if (ev.resource_version.empty())
    return model::status::invalid("watch event.object.metadata.resourceVersion: missing");
  return ev;
}

model::result<json> decode_object(std::string_view body) {
  auto doc = parse(body, "response");
  if (!doc.is_ok())
    return doc.error();
  if (auto st = check_object(doc.value(), "response", false); !st.is_ok())
    return st;
  return std::move(doc.value());
}

model::result<json> decode_list(std::string_view body) {
  auto doc = parse(body, "list");
  if (!doc.is_ok())
    return doc.error();
  const json& j = doc.value();
  if (!j.is_object())
    return model::status::invalid(std::string{"list: expected an object, got "} + j.type_name());
  auto md = j.find("metadata");
  if (md == j.end() || !md->is_object())
    return model::status::invalid("list.metadata: expected an object");
  for (const char* field : {"resourceVersion", "continue"}) {
    auto it = md->find(field);
    if (it != md->end() && !it->is_string())
      return model::status::invalid(std::string{"list.metadata."} + field + ": expected a string, got " + it->type_name());
  }
  auto items = j.find("items");
  if (items != j.end() && !items->is_null()) {
    if (!items->is_array())
      return model::status::invalid(std::string{"list.items: expected an array, got "} + items->type_name());
    for (size_t i = 0; i < items->size(); ++i)
      if (auto st = check_object((*items)[i], "list.items[" + std::to_string(i) + "]", true); !st.is_ok())
        return st;
  }
  auto out = std::move(doc.value());
  if (!out.contains("items") || out["items"].is_null())
    out["items"] = json::array(); // the API server sends null for an empty list
  return out;
}

} // namespace kactor::integrations::kubernetes
