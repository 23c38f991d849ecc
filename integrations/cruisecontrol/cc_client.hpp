// The Cruise Control REST client: the cruise_control port over integrations/http's async client (one I/O
// thread, kept-alive connections, a deadline per request, optional TLS). Beast-free.
//
// Contract: every request carries json=true and is bounded by `timeout` (connect, TLS, write and read
// together). A GET that CC answers with 202 (still computing) is asked again with its User-Task-ID every
// poll_interval until it completes or `timeout` since the first attempt has passed (then not_ready), so
// that repeated reads never pile up new user tasks in CC. Error messages name the endpoint, the base URL
// and the reason; CC's error bodies ({"errorMessage", "stackTrace"}) contribute the first line of
// errorMessage. Destroying the client calls stop() (see api.hpp): not from one of its callbacks.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "integrations/cruisecontrol/api.hpp"
#include "model/status.hpp"

namespace kactor::integrations::cruisecontrol {

/// How to reach one Cruise Control.
struct client_options {
  /// "http://host:port" or "https://host:port" (port defaults to 80/443). A path in the URL
  /// ("http://cc:8090/kafkacruisecontrol/") replaces base_path.
  std::string endpoint = "http://cruisecontrol-svc:8090";
  std::string base_path = "/kafkacruisecontrol"; ///< CC's webserver.api.urlprefix
  std::chrono::milliseconds timeout{30000};       ///< per request; see the file comment
  std::chrono::milliseconds poll_interval{1000};  ///< between follow-ups of a GET answered with 202
  // TLS, for an https endpoint (PEM text, not file names).
  std::string ca_pem;                ///< empty: the system's trust store
  bool insecure_skip_verify = false;
  std::string client_cert_pem, client_key_pem;
  std::string server_name;           ///< SNI and host-name check; empty: the endpoint's host
  // HTTP basic authentication (CC's webserver.security.enable with BasicSecurityProvider); empty: none.
  std::string username, password;
  std::string user_agent = "kactor";
};

/// Whether `credentials` may be sent to `endpoint`: ok, or invalid saying why — a username or password over
/// http beyond loopback, a CA or client certificate for an http endpoint (ignored there: the traffic would be
/// in clear), a password pinned (credentials.endpoint) to another endpoint. The one rule for the real client
/// and the simulation's.
model::status credentials_allowed(const std::string& endpoint, const model::cruise_control_credentials& credentials);

/// A running client, or invalid naming what is wrong (endpoint URL, timeout, TLS material, credentials_allowed).
model::result<std::unique_ptr<cruise_control>> make_cruise_control_client(client_options options);

/// Clients for the operator: one per cluster endpoint, shared while held, made from `base` with the
/// cluster's endpoint — or `endpoint_override` for every cluster when it is not empty. A bad endpoint gives
/// nullptr (the caller says so; that cluster's graceful operations wait, visibly).
cruise_control_factory make_cruise_control_factory(client_options base, std::string endpoint_override = "");

} // namespace kactor::integrations::cruisecontrol
