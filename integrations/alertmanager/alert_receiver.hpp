// The alert receiver: an HTTP endpoint (kactor run --alerts-addr, default 127.0.0.1:9001) for Alertmanager's
// webhook and Prometheus-style alert arrays, on any path (as Koperator's). POST only (405 otherwise); a body
// must be JSON (Content-Type application/json or none; 415 otherwise), at most body_limit bytes (413, by the
// server); a malformed body gets 400 with the parser's reason; accepted alerts get 202 and are handed to
// `deliver` on the server's I/O thread (deliver must not block).
//
// Authentication: an alert can add or remove brokers, so whoever may send one must be known. start() refuses
// an address beyond loopback unless requests must carry a bearer token (`bearer_token`, or
// `bearer_token_file`, re-read when the file changes so a rotated Secret takes effect without a restart)
// or TLS client certificates signed by `tls.client_ca_file`. A missing or wrong token gets 401 (compared in
// constant time) and nothing is delivered. Authenticated requests above requests_per_second (burst: twice
// that) get 429 with Retry-After.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "integrations/alertmanager/alert_payload.hpp"
#include "integrations/http/address.hpp"
#include "integrations/http/server.hpp"

namespace kactor::integrations::alertmanager {

struct receiver_options {
  std::string address = "127.0.0.1";
  uint16_t port = 9001;
  size_t body_limit = 1024 * 1024;
  std::optional<std::string> bearer_token;
  std::string bearer_token_file; ///< its first whitespace-delimited word is the token; re-read on change
  std::optional<http::tls_files> tls;
  double requests_per_second = 20;
};

using http::is_loopback; ///< integrations/http/address.hpp

class alert_receiver {
public:
  using deliver_fn = std::function<void(std::vector<alert>)>;
  static model::result<std::unique_ptr<alert_receiver>> start(receiver_options opts, deliver_fn deliver);
  ~alert_receiver();
  uint16_t port() const;
  /// Counters for /metrics: alerts received, requests refused (any 4xx/5xx, 401 and 429 included).
  uint64_t alerts_received() const;
  uint64_t requests_refused() const;
  void stop();

  struct impl;

private:
  explicit alert_receiver(std::shared_ptr<impl> p);
  std::shared_ptr<impl> impl_;
};

} // namespace kactor::integrations::alertmanager
