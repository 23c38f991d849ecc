// The alert receiver: an HTTP endpoint (kactor run --alerts-addr, default :9001) for Alertmanager's webhook
// and Prometheus-style alert arrays, on any path (as Koperator's). POST only (405 otherwise); a body must
// be JSON (Content-Type application/json or none; 415 otherwise), at most body_limit bytes (413, by the
// server); a malformed body gets 400 with the parser's reason; accepted alerts get 202 and are handed to
// `deliver` on the server's I/O thread (deliver must not block). With a bearer token, requests without it
// get 401. TLS when given cert and key.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "integrations/alertmanager/alert_payload.hpp"
#include "integrations/http/server.hpp"

namespace kactor::integrations::alertmanager {

struct receiver_options {
  std::string address = "0.0.0.0";
  uint16_t port = 9001;
  size_t body_limit = 1024 * 1024;
  std::optional<std::string> bearer_token;
  std::optional<http::tls_files> tls;
};

class alert_receiver {
public:
  using deliver_fn = std::function<void(std::vector<alert>)>;
  static model::result<std::unique_ptr<alert_receiver>> start(receiver_options opts, deliver_fn deliver);
  ~alert_receiver();
  uint16_t port() const;
  /// Counters for /metrics: alerts received, requests refused.
  uint64_t alerts_received() const;
  uint64_t requests_refused() const;
  void stop();

  struct impl;

private:
  explicit alert_receiver(std::shared_ptr<impl> p);
  std::shared_ptr<impl> impl_;
};

} // namespace kactor::integrations::alertmanager
