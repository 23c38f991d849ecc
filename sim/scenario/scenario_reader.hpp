// Reading scenario files (internal to sim/scenario/scenario*.cpp): the shapes a value can have — text,
// integer, number, duration, byte size, fault kind, label map, list — and `mapping`, which hands out the
// keys of one YAML mapping and reports the keys nobody asked for. Every problem becomes a field_error
// whose path names the field ("steps[2].addDisk.broker"); nothing throws.
//
// A shape is a callable `std::optional<T>(const json& value, const std::string& path)` that records an
// error and returns nullopt when the value does not fit. Also declared here: the helpers the scenario
// files share (fault kinds — their table is in fault_schedule.cpp —, text checks, the step reader).
//
// Pure: no I/O, no clock, no randomness.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/status.hpp"
#include "sim/scenario/scenario.hpp"

namespace kactor::sim::detail {

using json = nlohmann::json;

/// Longest simulated duration a scenario may name: one year.
inline constexpr int64_t max_duration_ms = 8760LL * 3600 * 1000;

/// Collects field errors and makes shapes that record into it.
class reader {
  /// A shape calling `read(value, path, args...)` on this reader (first: the shapes below deduce from it).
  template <class Read, class... Args>
  auto bind(Read read, Args... args) {
    return [this, read, args...](const json& v, const std::string& at) { return (this->*read)(v, at, args...); };
  }

public:
  /// "" when the text is fine, else why not ("must not be empty").
  using check = std::string (*)(const std::string&);

  model::field_errors errors;

  void fail(std::string path, std::string message) { errors.push_back({std::move(path), std::move(message)}); }

  /// A string, optionally checked.
  auto text(check c = nullptr) { return bind(&reader::read_text, c); }
  /// An integer within [min, max].
  auto integer(int64_t min, int64_t max) { return bind(&reader::read_integer, min, max, nullptr); }
  /// A broker id: an integer within [0, 2^31).
  auto broker_id() { return bind(&reader::read_broker_id); }
  /// A number within (min, max].
  auto real(double min_exclusive, double max) { return bind(&reader::read_real, min_exclusive, max); }
  /// "500ms", "30s", "5m", "1h", "1m30s" or a whole number of seconds, at least `min_ms`.
  auto duration(int64_t min_ms) { return bind(&reader::read_duration, min_ms); }
  /// A byte count as a Kubernetes quantity ("50Mi", "1M") or a number; > 0 when `positive`, else >= 0.
  auto bytes(bool positive) { return bind(&reader::read_bytes, positive); }
  /// A positive Kubernetes quantity kept as written ("10Gi"); plain numbers become their decimal text.
  auto size() { return bind(&reader::read_size); }
  /// A fault kind name ("podKill").
  auto kind() { return bind(&reader::read_kind); }
  /// A mapping of scalar values, returned as a JSON object of strings.
  auto labels(bool non_empty) { return bind(&reader::read_labels, non_empty); }
  /// A list whose items all have the shape `item`.
  template <class Shape>
  auto list(Shape item) {
    return [this, item](const json& v, const std::string& at) {
      using T = typename decltype(item(v, at))::value_type;
      std::optional<std::vector<T>> out;
      if (!v.is_array()) {
        fail(at, "expected a list, got " + shown(v));
        return out;
      }
      out.emplace();
      bool all = true; // read every item, so that each bad one is reported
      for (size_t i = 0; i < v.size(); ++i)
        if (auto x = item(v[i], at + "[" + std::to_string(i) + "]"))
          out->push_back(*x);
        else
          all = false;
      if (!all)
        out.reset();
      return out;
    };
  }

  /// The value for an error message: strings quoted, others as JSON, cut after 60 characters.
  static std::string shown(const json& v);

private:
  std::optional<std::string> read_text(const json& v, const std::string& at, check c);
  std::optional<int64_t> read_integer(const json& v, const std::string& at, int64_t min, int64_t max, const char* what);
  std::optional<int32_t> read_broker_id(const json& v, const std::string& at);
  std::optional<double> read_real(const json& v, const std::string& at, double min_exclusive, double max);
  std::optional<sim_ms> read_duration(const json& v, const std::string& at, int64_t min_ms);
  std::optional<long double> read_bytes(const json& v, const std::string& at, bool positive);
  std::optional<std::string> read_size(const json& v, const std::string& at);
  std::optional<fault_kind> read_kind(const json& v, const std::string& at);
  std::optional<json> read_labels(const json& v, const std::string& at, bool non_empty);
};

/// One YAML mapping being read: hands out its keys, then reports the keys nobody asked for.
class mapping {
public:
  /// Records "expected a mapping" when `v` is not one; valid() is then false and nothing is found.
  mapping(reader& r, const json& v, std::string path);

  bool valid() const { return obj_ != nullptr; }
  /// "timing.podStart"; just the key at the top level.
  std::string path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  /// True when `key` is present, even as null; marks it known.
  bool has(const char* key);
  /// The value of `key`, or nullptr when absent or null; marks it known.
  const json* find(const char* key);

  /// Reads `key` with `shape` into `out` when present; true when present and valid (else `out` is untouched).
  template <class T, class Shape>
  bool get(const char* key, T& out, const Shape& shape) {
    const json* v = find(key);
    if (!v)
      return false;
    auto value = shape(*v, path(key));
    if (value)
      out = static_cast<T>(*value);
    return value.has_value();
  }
  /// As get, and records "required" when the key is absent.
  template <class T, class Shape>
  bool require(const char* key, T& out, const Shape& shape) {
    if (valid() && !find(key))
      r_.fail(path(key), "required");
    return get(key, out, shape);
  }
  /// Calls f(value) when `key` holds a value.
  template <class F>
  void with(const char* key, F f) {
    if (const json* v = find(key))
      f(*v);
  }
  /// Calls f(item, "key[i]") for each item of the list under `key`.
  template <class F>
  void each(const char* key, F f) {
    const json* v = find(key);
    if (v && !v->is_array())
      return r_.fail(path(key), "expected a list, got " + reader::shown(*v));
    for (size_t i = 0; v && i < v->size(); ++i)
      f((*v)[i], path(key) + "[" + std::to_string(i) + "]");
  }
  /// Records `unknown key "x"` for each key not asked for (naming a close known key); returns their number.
  size_t finish();

private:
  reader& r_;
  const json* obj_;
  std::string path_;
  std::set<std::string> known_;
};

/// `"text"`, cut after 60 bytes (at a character boundary).
std::string quote(const std::string& s);
/// "1h30m", "30s", "500ms", "0s".
std::string format_duration(sim_ms d);
/// A DNS-1123 label (or subdomain when `dots`) of at most `max` characters.
bool is_dns_name(const std::string& s, size_t max, bool dots);
/// True when every string and key in `v` is valid UTF-8 (so that it can be written as JSON again).
bool valid_utf8(const json& v);

/// Fault kinds that hit one broker (nodeDown: its node, unless `node` is given).
bool targets_broker(fault_kind k);
/// Fault kinds that last `duration`.
bool has_duration(fault_kind k);
/// "podKill, containerKill, ..." in enum order.
std::string fault_kind_names();
/// "podKill on broker 1", "nodeDown of node-2 for 10s", "apiErrors (30%) for 20s".
std::string describe(const fault_spec& f);

/// The ids of a spec.brokers list (entries without a valid id skipped), ascending and unique.
std::vector<int32_t> broker_ids(const json& brokers);
/// The broker ids of s.cluster's spec.brokers ({0, 1, 2} when the cluster is null), ascending.
std::vector<int32_t> initial_brokers(const scenario& s);

/// Reads one fault; `timed` for the `faults` list (with `at`), not for a fault step.
void read_fault(reader& r, const json& v, const std::string& at, bool timed, fault_spec& f);
/// Reads steps[i] into a new step of `s`.
void read_step(reader& r, const json& v, const std::string& at, scenario& s);
/// Cross-checks of a scenario read without errors: brokers and nodes referenced exist, topics fit the cluster.
void check_references(reader& r, const scenario& s);

/// Checks for text shapes.
std::string check_non_empty(const std::string& s);
std::string check_node_name(const std::string& s);
std::string check_absolute_path(const std::string& s);
std::string check_config_lines(const std::string& s);

} // namespace kactor::sim::detail
