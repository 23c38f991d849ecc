// Typed errors of the Kubernetes API, decoded from the HTTP status and the Status body the API server
// sends with every failure, plus api_result<T>: a value or an api_error. Beast-free, no I/O.
//
// Callers branch on `kind` (NotFound → create, Conflict → re-read and retry, Gone → relist, ...); the
// message keeps the server's words. Transport failures (refused, TLS, timeout) and bodies that do not
// decode are kinds of their own, so nothing is ever reported as success by accident.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kactor::integrations::kubernetes {

/// What kind of failure; the names follow the Status reasons of k8s.io/apimachinery.
enum class api_error_kind {
  bad_request,        ///< 400
  unauthorized,       ///< 401
  forbidden,          ///< 403
  not_found,          ///< 404
  method_not_allowed, ///< 405
  already_exists,     ///< 409 reason AlreadyExists
  conflict,           ///< 409 otherwise (stale resourceVersion, failed precondition)
  gone,               ///< 410: the resourceVersion is too old, relist
  invalid,            ///< 422
  too_many_requests,  ///< 429, see retry_after
  server_error,       ///< 5xx
  timeout,            ///< the request's deadline passed (client side) or 504
  transport,          ///< no HTTP answer: refused, reset, TLS failure
  decode,             ///< an answer that is not what the API promises (bad JSON, wrong types)
  other,              ///< any other status code
};

const char* to_string(api_error_kind kind);

/// One failure.
struct api_error {
  api_error_kind kind = api_error_kind::other;
  int code = 0;                           ///< HTTP status; 0 for transport/timeout
  std::string reason;                     ///< Status.reason, e.g. "NotFound"
  std::string message;                    ///< the server's message or ours
  std::chrono::milliseconds retry_after{0}; ///< from the Retry-After header or Status.details
  std::string to_string() const;          ///< "NotFound (404): pods \"x\" not found"
};

/// The error an HTTP answer means: `code` ≥ 400, `body` hopefully a Status, `retry_after_header` the raw
/// header value or empty. Never throws, whatever the body.
api_error error_from_response(int code, std::string_view body, std::string_view retry_after_header);

/// An error for a request that got no HTTP answer; "timed out" in `message` makes it a timeout.
api_error transport_error(std::string message);

/// A value or an api_error.
template <class T>
class api_result {
public:
  api_result(T value) : v_(std::move(value)) {}
  api_result(api_error e) : v_(std::move(e)) {}
  bool is_ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const api_error& error() const { return std::get<1>(v_); }
  /// True when this failed with `kind`.
  bool is(api_error_kind kind) const { return !is_ok() && error().kind == kind; }

private:
  std::variant<T, api_error> v_;
};

} // namespace kactor::integrations::kubernetes
