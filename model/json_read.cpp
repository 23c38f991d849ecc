#include "model/json_read.hpp"

#include <cmath>
#include <limits>

namespace kactor::model {

using json = nlohmann::json;

namespace {

const json& empty_object() {
  static const json object = json::object();
  return object;
}

const json& empty_array() {
  static const json array = json::array();
  return array;
}

std::optional<int64_t> as_int(const json* v) {
  if (!v)
    return std::nullopt;
  if (v->is_number_integer() && !v->is_number_unsigned())
    return v->get<int64_t>();
  if (v->is_number_unsigned()) {
    auto u = v->get<uint64_t>();
    if (u > uint64_t(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return int64_t(u);
  }
  if (v->is_number_float()) {
    // Other writers (a YAML tool, Java's Jackson) may send 3.0 for a count; accept whole values only.
    double d = v->get<double>();
    if (!(d >= -9.2e18 && d <= 9.2e18) || d != std::floor(d))
      return std::nullopt;
    return int64_t(d);
  }
  return std::nullopt;
}

} // namespace

const json* find(const json& j, std::string_view key) {
  if (!j.is_object())
    return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

const json* find(const json& j, const json::json_pointer& path) {
  // contains() answers false for a missing step or one it cannot enter (a string where an object was
  // expected); at() after it cannot miss. The try is for array indices too large for size_t, which
  // contains() reports by throwing out_of_range 410 — our pointers are literals, but the promise holds.
  try {
    return j.contains(path) ? &j.at(path) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

std::optional<std::string> find_string(const json& j, std::string_view key) {
  const json* v = find(j, key);
  return v && v->is_string() ? std::optional<std::string>{v->get<std::string>()} : std::nullopt;
}

std::optional<std::string> find_string(const json& j, const json::json_pointer& path) {
  const json* v = find(j, path);
  return v && v->is_string() ? std::optional<std::string>{v->get<std::string>()} : std::nullopt;
}

std::optional<int64_t> find_int(const json& j, std::string_view key) { return as_int(find(j, key)); }
std::optional<int64_t> find_int(const json& j, const json::json_pointer& path) { return as_int(find(j, path)); }

std::optional<bool> find_bool(const json& j, std::string_view key) {
  const json* v = find(j, key);
  return v && v->is_boolean() ? std::optional<bool>{v->get<bool>()} : std::nullopt;
}

std::optional<bool> find_bool(const json& j, const json::json_pointer& path) {
  const json* v = find(j, path);
  return v && v->is_boolean() ? std::optional<bool>{v->get<bool>()} : std::nullopt;
}

std::string string_or(const json& j, std::string_view key, std::string fallback) {
  auto s = find_string(j, key);
  return s ? std::move(*s) : std::move(fallback);
}

std::string string_or(const json& j, const json::json_pointer& path, std::string fallback) {
  auto s = find_string(j, path);
  return s ? std::move(*s) : std::move(fallback);
}

int64_t int_or(const json& j, std::string_view key, int64_t fallback) { return find_int(j, key).value_or(fallback); }
int64_t int_or(const json& j, const json::json_pointer& path, int64_t fallback) {
  return find_int(j, path).value_or(fallback);
}

bool bool_or(const json& j, std::string_view key, bool fallback) { return find_bool(j, key).value_or(fallback); }
bool bool_or(const json& j, const json::json_pointer& path, bool fallback) {
  return find_bool(j, path).value_or(fallback);
}

const json& object_or_empty(const json& j, std::string_view key) {
  const json* v = find(j, key);
  return v && v->is_object() ? *v : empty_object();
}

const json& object_or_empty(const json& j, const json::json_pointer& path) {
  const json* v = find(j, path);
  return v && v->is_object() ? *v : empty_object();
}

const json& array_or_empty(const json& j, std::string_view key) {
  const json* v = find(j, key);
  return v && v->is_array() ? *v : empty_array();
}

const json& array_or_empty(const json& j, const json::json_pointer& path) {
  const json* v = find(j, path);
  return v && v->is_array() ? *v : empty_array();
}

std::string describe_mismatch(const char* expected, const json& got) {
  return std::string{"expected "} + expected + ", got " + got.type_name();
}

} // namespace kactor::model
