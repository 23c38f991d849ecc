// status and result<T>: how the pure core reports failure without exceptions.
//
// A status is a kind plus a human-readable message; `ok()` is the only success. result<T> holds either a
// value or a non-ok status. Every failure kind has one named factory. Field-level validation problems are
// collected as field_error values (path + message) so that all of them can be reported at once.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kactor::model {

/// What went wrong, coarsely; the message says precisely.
enum class status_kind {
  /// Success.
  ok,
  /// Input is well-formed but violates a rule (a field error, an illegal change).
  invalid,
  /// Input cannot be parsed at all (YAML/JSON syntax, wrong document kind).
  parse_error,
  /// Something that was looked up does not exist (a broker id, a group).
  not_found,
  /// The request is understood but kactor does not support it.
  unsupported,
};

/// Returns the enumerator's name, e.g. "invalid".
const char* to_string(status_kind kind);

/// A success or a failure kind plus message. Cheap to copy.
class status {
public:
  status() = default;

  static status ok() { return {}; }
  static status invalid(std::string msg) { return {status_kind::invalid, std::move(msg)}; }
  static status parse_error(std::string msg) { return {status_kind::parse_error, std::move(msg)}; }
  static status not_found(std::string msg) { return {status_kind::not_found, std::move(msg)}; }
  static status unsupported(std::string msg) { return {status_kind::unsupported, std::move(msg)}; }

  bool is_ok() const { return kind_ == status_kind::ok; }
  explicit operator bool() const { return is_ok(); }
  status_kind kind() const { return kind_; }
  const std::string& message() const { return message_; }

  /// "invalid: spec.brokers[1].id: duplicate broker id 1", or "ok".
  std::string to_string() const;

private:
  status(status_kind kind, std::string msg) : kind_(kind), message_(std::move(msg)) {}
  status_kind kind_ = status_kind::ok;
  std::string message_;
};

/// A value or the status explaining why there is none.
template <class T>
class result {
public:
  result(T value) : data_(std::move(value)) {}
  result(status err) : data_(std::move(err)) {}

  bool is_ok() const { return data_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  /// Precondition: is_ok().
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  /// status::ok() when a value is held.
  status error() const { return is_ok() ? status::ok() : std::get<1>(data_); }

private:
  std::variant<T, status> data_;
};

/// One problem with one field of a document, e.g. {"spec.brokers[2].id", "duplicate broker id 1"}.
struct field_error {
  /// Path in the CR: `spec.brokers[2].id`, `spec.brokerConfigGroups.default.storageConfigs[0].mountPath`.
  std::string path;
  std::string message;

  /// "path: message".
  std::string to_string() const { return path.empty() ? message : path + ": " + message; }
  bool operator==(const field_error&) const = default;
};

using field_errors = std::vector<field_error>;

/// Joins errors into one invalid status, one per line; ok when `errs` is empty.
status to_status(const field_errors& errs);

} // namespace kactor::model
