// The alert receiver's flags, shared by `kactor run` and `kactor sim --serve` (which takes the operator's
// flags): --alerts-addr, --alerts-bearer-token-file, --alerts-tls-cert/-key, --alerts-tls-client-ca,
// --alerts-rate. Beyond loopback the receiver needs a token file or client certificates: alerts add and
// remove brokers (integrations/alertmanager/alert_receiver.hpp); the error names the flags to give.
#pragma once

#include <optional>
#include <string>

#include "integrations/alertmanager/alert_receiver.hpp"
#include "model/status.hpp"

namespace CLI {
class App;
}

namespace kactor::runtime {

struct alert_flags {
  std::string addr;            ///< [host]:port; "0" disables the receiver
  std::string token_file;      ///< requests must carry `Authorization: Bearer <its content>`; re-read on change
  std::string tls_cert, tls_key; ///< serve the receiver over HTTPS
  std::string tls_client_ca;   ///< with TLS: clients must present a certificate this CA signed
  double requests_per_second = 20;
};

/// Adds the flags to `app`, --alerts-addr defaulting to `default_addr`.
void add_alert_flags(CLI::App& app, alert_flags& flags, const std::string& default_addr);

/// The receiver the flags describe; nullopt for --alerts-addr 0. Errors name the flag at fault.
model::result<std::optional<integrations::alertmanager::receiver_options>> receiver_options_of(const alert_flags& flags);

} // namespace kactor::runtime
