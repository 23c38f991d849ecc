// Non-throwing reads of JSON that came from outside (CRs written by users or other controllers, API
// server answers, watch events, alert payloads, kubeconfig files).
//
// nlohmann's `value(key, default)` throws type_error 302 when the key exists with another type, and
// `value("/a/b"_json_pointer, default)` also throws when an intermediate is not an object; `get<T>()` and
// `at()` throw likewise. On outside input a wrong type must become a default (where a missing field is
// fine) or an error naming the field (where it is not), never an exception through a handler. Every
// function here takes any JSON value — null, a scalar, an object of the wrong shape — and never throws.
// A found value of another type counts as absent; `describe` words the mismatch for an error message.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kactor::model {

/// The member `key` of `j`; nullptr when j is not an object or has no such member.
const nlohmann::json* find(const nlohmann::json& j, std::string_view key);
/// The value at `path` (objects by key, arrays by index); nullptr when any step is absent or of a
/// type the step cannot enter.
const nlohmann::json* find(const nlohmann::json& j, const nlohmann::json::json_pointer& path);

/// The string at key/path, or nullopt when absent or not a string.
std::optional<std::string> find_string(const nlohmann::json& j, std::string_view key);
std::optional<std::string> find_string(const nlohmann::json& j, const nlohmann::json::json_pointer& path);
/// The integer at key/path (an integral number within int64, or a float with a whole value), else nullopt.
std::optional<int64_t> find_int(const nlohmann::json& j, std::string_view key);
std::optional<int64_t> find_int(const nlohmann::json& j, const nlohmann::json::json_pointer& path);
/// The boolean at key/path, else nullopt.
std::optional<bool> find_bool(const nlohmann::json& j, std::string_view key);
std::optional<bool> find_bool(const nlohmann::json& j, const nlohmann::json::json_pointer& path);

/// The same reads with a fallback for "absent or of another type".
std::string string_or(const nlohmann::json& j, std::string_view key, std::string fallback = {});
std::string string_or(const nlohmann::json& j, const nlohmann::json::json_pointer& path, std::string fallback = {});
int64_t int_or(const nlohmann::json& j, std::string_view key, int64_t fallback);
int64_t int_or(const nlohmann::json& j, const nlohmann::json::json_pointer& path, int64_t fallback);
bool bool_or(const nlohmann::json& j, std::string_view key, bool fallback);
bool bool_or(const nlohmann::json& j, const nlohmann::json::json_pointer& path, bool fallback);

/// The object at key/path, or an empty object when absent or not an object (a reference to a shared
/// constant: copy it to modify).
const nlohmann::json& object_or_empty(const nlohmann::json& j, std::string_view key);
const nlohmann::json& object_or_empty(const nlohmann::json& j, const nlohmann::json::json_pointer& path);
/// The array at key/path, or an empty array when absent or not an array.
const nlohmann::json& array_or_empty(const nlohmann::json& j, std::string_view key);
const nlohmann::json& array_or_empty(const nlohmann::json& j, const nlohmann::json::json_pointer& path);

/// "expected a string, got object" — the tail of an error naming a field of the wrong type.
std::string describe_mismatch(const char* expected, const nlohmann::json& got);

} // namespace kactor::model
