#include "integrations/alertmanager/alert_payload.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "model/json_read.hpp"

namespace kactor::integrations::alertmanager {

namespace {

using nlohmann::json;

model::result<std::map<std::string, std::string>> string_map(const json& j, const std::string& where) {
  std::map<std::string, std::string> out;
  if (j.is_null())
    return out;
  if (!j.is_object())
    return model::status::invalid(where + ": " + model::describe_mismatch("an object of strings", j));
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string())
      return model::status::invalid(where + "." + k + ": expected a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

std::string text(const json& a, const char* key) { return model::string_or(a, key); }

// RFC 3339 timestamps compare as text once cut to seconds (both UTC "Z"); the zero time means "not set".
bool ended(const std::string& ends_at, const std::string& now) {
  if (ends_at.empty() || ends_at.rfind("0001-", 0) == 0)
    return false;
  return ends_at.substr(0, 19) <= now.substr(0, 19);
}

model::result<alert> parse_one(const json& a, const std::string& where, const std::string& now) {
  if (!a.is_object())
    return model::status::invalid(where + ": expected an object");
  alert out;
  static const json absent;
  const json* labels_json = model::find(a, "labels");
  auto labels = string_map(labels_json ? *labels_json : absent, where + ".labels");
  if (!labels.is_ok())
    return labels.error();
  if (labels.value().empty())
    return model::status::invalid(where + ".labels: an alert needs labels");
  const json* annotations_json = model::find(a, "annotations");
  auto annotations = string_map(annotations_json ? *annotations_json : absent, where + ".annotations");
  if (!annotations.is_ok())
    return annotations.error();
  out.labels = std::move(labels.value());
  out.annotations = std::move(annotations.value());
  out.starts_at = text(a, "startsAt");
  out.ends_at = text(a, "endsAt");
  out.generator_url = text(a, "generatorURL");
  auto status = text(a, "status");
  if (!status.empty() && status != "firing" && status != "resolved")
    return model::status::invalid(where + ".status: \"" + status + "\" is neither firing nor resolved");
  out.firing = status.empty() ? !ended(out.ends_at, now) : status == "firing";
  out.fingerprint = text(a, "fingerprint");
  if (out.fingerprint.empty())
    out.fingerprint = fingerprint_of(out.labels);
  return out;
}

} // namespace

std::string fingerprint_of(const std::map<std::string, std::string>& labels) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  for (const auto& [k, v] : labels) { // std::map: sorted by name, as Prometheus sorts
    mix(k);
    mix("\xff");
    mix(v);
    mix("\xff");
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

model::result<std::vector<alert>> parse_alerts(std::string_view body, const std::string& now) {
  json doc;
  try {
    doc = json::parse(body);
  } catch (const json::parse_error& e) {
    return model::status::parse_error("body is not JSON: at byte " + std::to_string(e.byte) + ": " + e.what());
  } catch (const json::exception& e) {
    // The parser reports a number too large for a double (6666E66666666) as out_of_range 406, not as a
    // parse_error; it is still a malformed body (400), never a 500.
    return model::status::parse_error(std::string{"body is not JSON: "} + e.what());
  }
  const json* list = &doc;
  std::string prefix = "";
  if (doc.is_object()) {
    if (!doc.contains("alerts"))
      return model::status::invalid("alerts: missing (expected Alertmanager's webhook or an array of alerts)");
    list = &doc["alerts"];
    prefix = "alerts";
  }
  if (!list->is_array())
    return model::status::invalid((prefix.empty() ? std::string{"body"} : prefix) + ": expected an array of alerts");
  std::vector<alert> out;
  for (size_t i = 0; i < list->size(); ++i) {
    auto a = parse_one((*list)[i], prefix + "[" + std::to_string(i) + "]", now);
    if (!a.is_ok())
      return a.error();
    out.push_back(std::move(a.value()));
  }
  return out;
}

} // namespace kactor::integrations::alertmanager
