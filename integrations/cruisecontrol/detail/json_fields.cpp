#include "integrations/cruisecontrol/detail/json_fields.hpp"

#include <charconv>
#include <limits>

namespace kactor::integrations::cruisecontrol::detail {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw field_failure(path.empty() ? reason : path + ": " + reason);
}

[[noreturn]] void wrong_type(const std::string& path, const char* expected, const json& v) {
  fail(path, std::string{"expected "} + expected + ", got " + v.type_name());
}

int64_t to_int64(const json& v, const std::string& path) {
  if (v.is_number_integer())
    return v.get<int64_t>();
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u > uint64_t(std::numeric_limits<int64_t>::max()))
      fail(path, "number out of range");
    return int64_t(u);
  }
  if (v.is_number_float()) {
    // CC's Java side sometimes writes counts as doubles (e.g. 5.0); accept whole values only.
    double d = v.get<double>();
    if (!(d >= -9.2e18 && d <= 9.2e18) || d != double(int64_t(d)))
      fail(path, "expected an integer, got " + v.dump());
    return int64_t(d);
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    int64_t out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
      fail(path, "expected an integer, got \"" + s.substr(0, 40) + "\"");
    return out;
  }
  wrong_type(path, "a number", v);
}

} // namespace

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string{key} : path + "." + std::string{key};
}

json parse_object(std::string_view body) {
  auto doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded())
    fail("", "not JSON: " + std::string{body.substr(0, 60)});
  if (!doc.is_object())
    wrong_type("", "an object", doc);
  return doc;
}

const json* member(const json& obj, const std::string& path, std::string_view key) {
  if (!obj.is_object())
    wrong_type(path, "an object", obj);
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return nullptr;
  return &*it;
}

const json* object_at(const json& obj, const std::string& path, std::string_view key) {
  const json* v = member(obj, path, key);
  if (v && !v->is_object())
    wrong_type(join(path, key), "an object", *v);
  return v;
}

const json* array_at(const json& obj, const std::string& path, std::string_view key) {
  const json* v = member(obj, path, key);
  if (v && !v->is_array())
    wrong_type(join(path, key), "an array", *v);
  return v;
}

std::string string_at(const json& obj, const std::string& path, std::string_view key, std::string fallback) {
  const json* v = member(obj, path, key);
  if (!v)
    return fallback;
  if (!v->is_string())
    wrong_type(join(path, key), "a string", *v);
  return v->get<std::string>();
}

int64_t int_at(const json& obj, const std::string& path, std::string_view key, int64_t fallback) {
  const json* v = member(obj, path, key);
  return v ? to_int64(*v, join(path, key)) : fallback;
}

int32_t int32_at(const json& obj, const std::string& path, std::string_view key, int32_t fallback) {
  const json* v = member(obj, path, key);
  return v ? to_int32(*v, join(path, key)) : fallback;
}

double double_at(const json& obj, const std::string& path, std::string_view key, double fallback) {
  auto d = optional_double_at(obj, path, key);
  return d ? *d : fallback;
}

std::optional<double> optional_double_at(const json& obj, const std::string& path, std::string_view key) {
  const json* v = member(obj, path, key);
  if (!v)
    return std::nullopt;
  if (!v->is_number())
    wrong_type(join(path, key), "a number", *v);
  return v->get<double>();
}

bool bool_at(const json& obj, const std::string& path, std::string_view key, bool fallback) {
  const json* v = member(obj, path, key);
  if (!v)
    return fallback;
  if (!v->is_boolean())
    wrong_type(join(path, key), "a boolean", *v);
  return v->get<bool>();
}

int32_t to_int32(const json& v, const std::string& path) {
  int64_t n = to_int64(v, path);
  if (n < std::numeric_limits<int32_t>::min() || n > std::numeric_limits<int32_t>::max())
    fail(path, "number out of range: " + std::to_string(n));
  return int32_t(n);
}

int32_t broker_id_key(const std::string& key, const std::string& path) {
  int32_t id = -1;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
  if (ec != std::errc{} || end != key.data() + key.size() || key.empty() || id < 0)
    fail(path, "not a broker id: \"" + key.substr(0, 40) + "\"");
  return id;
}

std::vector<std::string> to_strings(const json& v, const std::string& path) {
  if (!v.is_array())
    wrong_type(path, "an array", v);
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string())
      wrong_type(path + "[" + std::to_string(i) + "]", "a string", v[i]);
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

std::vector<std::string> strings_at(const json& obj, const std::string& path, std::string_view key) {
  const json* a = array_at(obj, path, key);
  return a ? to_strings(*a, join(path, key)) : std::vector<std::string>{};
}

std::vector<int32_t> ints_at(const json& obj, const std::string& path, std::string_view key) {
  std::vector<int32_t> out;
  const json* a = array_at(obj, path, key);
  if (!a)
    return out;
  for (size_t i = 0; i < a->size(); ++i)
    out.push_back(to_int32((*a)[i], join(path, key) + "[" + std::to_string(i) + "]"));
  return out;
}

int32_t count_at(const json& obj, const std::string& path, std::string_view key) {
  const json* a = array_at(obj, path, key);
  return a ? int32_t(a->size()) : 0;
}

cc_error decode_error(std::string_view what) {
  cc_error e;
  e.what = cc_error::kind::decode;
  e.message = std::string{what};
  return e;
}

} // namespace kactor::integrations::cruisecontrol::detail
