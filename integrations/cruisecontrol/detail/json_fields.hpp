// Typed reads of Cruise Control's JSON for the decoders in cc_responses, and the sub-decoders their two
// .cpp files share: each read names the field path it failed on. A failed read throws field_failure,
// which the decoders catch at their edge (guarded(), together with nlohmann's own exceptions) and turn
// into a decode cc_error; nothing escapes cc_responses.
//
// Pure: no I/O; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "integrations/cruisecontrol/cc_error.hpp"
#include "integrations/cruisecontrol/cc_state.hpp"

namespace kactor::integrations::cruisecontrol::detail {

using json = nlohmann::json;

/// A field of the wrong type or with an impossible value; what() is "path: reason".
struct field_failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// "MonitorState" + "state" → "MonitorState.state"; "" + "x" → "x".
std::string join(const std::string& path, std::string_view key);

/// The body parsed as a JSON object, or field_failure ("not JSON: ..." / "expected an object").
json parse_object(std::string_view body);

/// The member `key` of `obj` when present and not null, else nullptr. Throws when obj is not an object.
const json* member(const json& obj, const std::string& path, std::string_view key);

/// The object member `key`, or nullptr when absent; throws when present but not an object.
const json* object_at(const json& obj, const std::string& path, std::string_view key);
/// The array member `key`, or nullptr when absent; throws when present but not an array.
const json* array_at(const json& obj, const std::string& path, std::string_view key);

/// Typed members: `fallback` when absent or null, field_failure when of the wrong type. Integers accept
/// integral numbers and decimal strings (CC sends StartMs as "1579874383374"); doubles accept any number.
std::string string_at(const json& obj, const std::string& path, std::string_view key, std::string fallback = {});
int64_t int_at(const json& obj, const std::string& path, std::string_view key, int64_t fallback = 0);
int32_t int32_at(const json& obj, const std::string& path, std::string_view key, int32_t fallback = 0);
double double_at(const json& obj, const std::string& path, std::string_view key, double fallback = 0);
bool bool_at(const json& obj, const std::string& path, std::string_view key, bool fallback = false);
std::optional<double> optional_double_at(const json& obj, const std::string& path, std::string_view key);

/// An int32 read from `v` (a number or a decimal string) at `path`.
int32_t to_int32(const json& v, const std::string& path);
/// A broker id from a map key ("3"); field_failure unless a non-negative decimal int32.
int32_t broker_id_key(const std::string& key, const std::string& path);

/// Arrays of strings / int32s; empty when absent.
std::vector<std::string> strings_at(const json& obj, const std::string& path, std::string_view key);
std::vector<int32_t> ints_at(const json& obj, const std::string& path, std::string_view key);
/// `v` (at `path`) as an array of strings.
std::vector<std::string> to_strings(const json& v, const std::string& path);
/// The length of the array member `key`; 0 when absent.
int32_t count_at(const json& obj, const std::string& path, std::string_view key);

/// brokers[] of a load-shaped object at `path` (the load answer, an OptimizationResult's
/// loadAfterOptimization), sorted by broker id; field_failure when brokers is missing. In cc_responses.cpp.
std::vector<broker_load> read_load(const json& obj, const std::string& path);

/// A decode cc_error for `what` (the field failure or nlohmann's message).
cc_error decode_error(std::string_view what);

/// Runs `decode` (returning T), turning whatever it throws into a decode cc_error: the edge past which no
/// exception goes.
template <class T, class F>
cc_result<T> guarded(F&& decode) {
  try {
    return decode();
  } catch (const std::exception& e) { // field_failure, nlohmann's, bad_alloc alike
    return decode_error(e.what());
  }
}

} // namespace kactor::integrations::cruisecontrol::detail
