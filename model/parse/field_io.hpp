// field_reader and field_writer: the two visitors that the `fields(f, x)` tables in kafka_cluster_io.cpp
// drive, one reading JSON into value types, one writing value types back into JSON.
//
// A table lists each member once with its JSON key: `f("mountPath", x.mount_path)`. The reader checks JSON
// types and records unknown keys as warnings; `f.ignored(key, why)` marks a key that kactor knows but does
// not act on (kept, warned once). The writer writes over an existing object so keys it does not know stay
// put; it leaves out values that were absent and are still default, so a round trip changes nothing.
//
// Pure: no I/O, no clock, no randomness, safe from any thread. Internal to model/parse.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/status.hpp"

namespace kactor::model::detail {

using json = nlohmann::json;

struct field_reader;
struct field_writer;

/// True for types that have a `fields(field_reader&, T&)` table.
template <class T>
concept has_fields = requires(field_reader& r, T& x) { fields(r, x); };

inline std::string join_path(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

const char* json_type_name(const json& v);

/// Reads one JSON object into a value type; see the file comment.
struct field_reader {
  const json& obj;
  std::string path;
  field_errors& errors;
  std::vector<std::string>& warnings;
  bool warn_unknown = true;
  std::set<std::string> seen{};

  template <class T>
  void operator()(const char* key, T& out) {
    seen.insert(key);
    auto it = obj.find(key);
    if (it != obj.end() && !it->is_null())
      read(*it, join_path(path, key), out);
  }

  /// A key kactor knows but does not use: kept in raw, reported once when present.
  void ignored(const char* key, const char* why) {
    seen.insert(key);
    if (obj.contains(key))
      warnings.push_back(join_path(path, key) + ": " + why + "; kept but ignored");
  }

  /// Warns about every key no table entry claimed.
  void finish() {
    if (!warn_unknown)
      return;
    for (const auto& [key, value] : obj.items())
      if (!seen.contains(key))
        warnings.push_back(join_path(path, key) + ": unknown field; kept but ignored");
  }

  void mismatch(const json& v, const std::string& at, const char* expected) {
    errors.push_back({at, std::string{"expected "} + expected + ", got " + json_type_name(v)});
  }

  void read(const json& v, const std::string& at, std::string& out) {
    if (v.is_string())
      out = v.get<std::string>();
    else
      mismatch(v, at, "a string");
  }
  void read(const json& v, const std::string& at, bool& out) {
    if (v.is_boolean())
      out = v.get<bool>();
    else
      mismatch(v, at, "a boolean");
  }
  void read(const json& v, const std::string& at, int64_t& out) {
    if (v.is_number_integer())
      out = v.get<int64_t>();
    else
      mismatch(v, at, "an integer");
  }
  void read(const json& v, const std::string& at, int32_t& out) {
    int64_t wide = 0;
    size_t before = errors.size();
    read(v, at, wide);
    if (errors.size() != before)
      return;
    if (wide < std::numeric_limits<int32_t>::min() || wide > std::numeric_limits<int32_t>::max())
      errors.push_back({at, "value " + std::to_string(wide) + " does not fit in a 32-bit integer"});
    else
      out = static_cast<int32_t>(wide);
  }
  void read(const json& v, const std::string&, json& out) { out = v; }

  template <class T>
  void read(const json& v, const std::string& at, std::optional<T>& out) {
    out.emplace();
    read(v, at, *out);
  }
  template <class T>
  void read(const json& v, const std::string& at, std::vector<T>& out) {
    if (!v.is_array())
      return mismatch(v, at, "a list");
    out.clear();
    for (size_t i = 0; i < v.size(); ++i)
      read(v[i], at + "[" + std::to_string(i) + "]", out.emplace_back());
  }
  template <class T>
  void read(const json& v, const std::string& at, std::map<std::string, T>& out) {
    if (!v.is_object())
      return mismatch(v, at, "an object");
    out.clear();
    for (const auto& [key, child] : v.items())
      read(child, join_path(at, key), out[key]);
  }
  template <has_fields T>
  void read(const json& v, const std::string& at, T& out) {
    if (!v.is_object())
      return mismatch(v, at, "an object");
    field_reader nested{v, at, errors, warnings, warn_unknown};
    fields(nested, out);
    nested.finish();
  }
};

/// Writes value types into a JSON object; see the file comment.
struct field_writer {
  json& obj;

  template <class T>
  void operator()(const char* key, const T& value) {
    bool present = obj.contains(key);
    if (!present && is_default(value))
      return;
    bool was_null = present && obj[key].is_null();
    json& slot = obj[key];
    write(slot, value);
    // A cleared optional removes its key; an explicit null the user wrote stays.
    if (slot.is_null() && !was_null)
      obj.erase(key);
    else if (!present && slot.is_object() && slot.empty())
      obj.erase(key);
  }
  void ignored(const char*, const char*) {
    // nop: ignored keys stay in the object untouched.
  }

  template <class T>
  static bool is_default(const T& value) {
    if constexpr (has_fields<T>)
      return false; // decided after writing: an empty nested object is dropped
    else
      return value == T{};
  }

  static void write(json& slot, const std::string& v) { slot = v; }
  static void write(json& slot, bool v) { slot = v; }
  static void write(json& slot, int64_t v) { slot = v; }
  static void write(json& slot, int32_t v) { slot = v; }
  static void write(json& slot, const json& v) { slot = v; }

  template <class T>
  static void write(json& slot, const std::optional<T>& v) {
    if (v)
      write(slot, *v);
    else
      slot = nullptr;
  }
  template <class T>
  static void write(json& slot, const std::vector<T>& v) {
    json old = slot.is_array() ? slot : json::array();
    slot = json::array();
    for (size_t i = 0; i < v.size(); ++i) {
      json item = i < old.size() ? old[i] : json{};
      write(item, v[i]);
      slot.push_back(std::move(item));
    }
  }
  template <class T>
  static void write(json& slot, const std::map<std::string, T>& v) {
    json old = slot.is_object() ? slot : json::object();
    slot = json::object();
    for (const auto& [key, child] : v) {
      json item = old.contains(key) ? old[key] : json{};
      write(item, child);
      slot[key] = std::move(item);
    }
  }
  template <has_fields T>
  static void write(json& slot, const T& v) {
    if (!slot.is_object())
      slot = json::object();
    field_writer nested{slot};
    fields(nested, const_cast<T&>(v));
  }
};

} // namespace kactor::model::detail
