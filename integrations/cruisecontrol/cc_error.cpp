#include "integrations/cruisecontrol/cc_error.hpp"

namespace kactor::integrations::cruisecontrol {

const char* to_string(cc_error::kind k) {
  switch (k) {
  case cc_error::kind::unavailable: return "unavailable";
  case cc_error::kind::not_ready: return "not ready";
  case cc_error::kind::busy: return "busy";
  case cc_error::kind::bad_request: return "bad request";
  case cc_error::kind::not_found: return "not found";
  case cc_error::kind::server_error: return "server error";
  case cc_error::kind::decode: return "decode";
  }
  return "error";
}

std::string cc_error::to_string() const {
  return std::string{cruisecontrol::to_string(what)} + ": " + message;
}

} // namespace kactor::integrations::cruisecontrol
