#include "integrations/kubernetes/api_error.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "model/json_read.hpp"

namespace kactor::integrations::kubernetes {

const char* to_string(api_error_kind kind) {
  switch (kind) {
  case api_error_kind::bad_request: return "BadRequest";
  case api_error_kind::unauthorized: return "Unauthorized";
  case api_error_kind::forbidden: return "Forbidden";
  case api_error_kind::not_found: return "NotFound";
  case api_error_kind::method_not_allowed: return "MethodNotAllowed";
  case api_error_kind::already_exists: return "AlreadyExists";
  case api_error_kind::conflict: return "Conflict";
  case api_error_kind::gone: return "Gone";
  case api_error_kind::invalid: return "Invalid";
  case api_error_kind::too_many_requests: return "TooManyRequests";
  case api_error_kind::server_error: return "ServerError";
  case api_error_kind::timeout: return "Timeout";
  case api_error_kind::transport: return "Transport";
  case api_error_kind::decode: return "Decode";
  case api_error_kind::other: return "Other";
  }
  return "Other";
}

std::string api_error::to_string() const {
  std::string out = kubernetes::to_string(kind);
  if (code != 0)
    out += " (" + std::to_string(code) + ")";
  if (!message.empty())
    out += ": " + message;
  return out;
}

namespace {

api_error_kind kind_for(int code, const std::string& reason) {
  switch (code) {
  case 400: return api_error_kind::bad_request;
  case 401: return api_error_kind::unauthorized;
  case 403: return api_error_kind::forbidden;
  case 404: return api_error_kind::not_found;
  case 405: return api_error_kind::method_not_allowed;
  case 409: return reason == "AlreadyExists" ? api_error_kind::already_exists : api_error_kind::conflict;
  case 410: return api_error_kind::gone;
  case 422: return api_error_kind::invalid;
  case 429: return api_error_kind::too_many_requests;
  case 504: return api_error_kind::timeout;
  default: return code >= 500 ? api_error_kind::server_error : api_error_kind::other;
  }
}

std::chrono::milliseconds parse_seconds(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  // Only delta-seconds: the API server never sends an HTTP date here.
  if (ec != std::errc{} || seconds < 0 || seconds > 86400)
    return std::chrono::milliseconds{0};
  return std::chrono::seconds{seconds};
}

} // namespace

api_error error_from_response(int code, std::string_view body, std::string_view retry_after_header) {
  api_error e;
  e.code = code;
  auto doc = nlohmann::json::parse(body, nullptr, false);
  // Every read tolerates a wrong type: this runs on the client's I/O thread, where an exception aborts
  // the process, and the body may come from a proxy or a hostile server.
  if (model::string_or(doc, "kind") == "Status") {
    e.reason = model::string_or(doc, "reason");
    e.message = model::string_or(doc, "message");
    if (auto r = model::find_int(doc, "/details/retryAfterSeconds"_json_pointer); r && *r > 0 && *r <= 86400)
      e.retry_after = std::chrono::seconds{*r};
  } else if (const auto* kind = model::find(doc, "kind"); kind && !kind->is_string()) {
    e.message = "error body: kind: " + model::describe_mismatch("a string", *kind) + ": " + std::string(body.substr(0, 200));
  } else {
    // Not a Status (a proxy's HTML page, truncated JSON): keep a bounded excerpt.
    e.message = std::string(body.substr(0, 200));
  }
  if (!retry_after_header.empty())
    if (auto h = parse_seconds(retry_after_header); h.count() > 0)
      e.retry_after = h;
  e.kind = kind_for(code, e.reason);
  if (e.reason.empty())
    e.reason = to_string(e.kind);
  return e;
}

api_error transport_error(std::string message) {
  api_error e;
  e.kind = message.find("timed out") != std::string::npos ? api_error_kind::timeout : api_error_kind::transport;
  e.reason = to_string(e.kind);
  e.message = std::move(message);
  return e;
}

} // namespace kactor::integrations::kubernetes
