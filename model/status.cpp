#include "model/status.hpp"

namespace kactor::model {

const char* to_string(status_kind kind) {
  switch (kind) {
    case status_kind::ok: return "ok";
    case status_kind::invalid: return "invalid";
    case status_kind::parse_error: return "parse_error";
    case status_kind::not_found: return "not_found";
    case status_kind::unsupported: return "unsupported";
  }
  return "unknown";
}

std::string status::to_string() const {
  if (is_ok())
    return "ok";
  return std::string{model::to_string(kind_)} + ": " + message_;
}

status to_status(const field_errors& errs) {
  if (errs.empty())
    return status::ok();
  std::string msg;
  for (const auto& e : errs) {
    if (!msg.empty())
      msg += '\n';
    msg += e.to_string();
  }
  return status::invalid(std::move(msg));
}

} // namespace kactor::model
