#include "runtime/cli/alert_flags.hpp"

#include <CLI/CLI.hpp>

#include "runtime/cli/listen_address.hpp"

namespace kactor::runtime {

namespace am = integrations::alertmanager;

void add_alert_flags(CLI::App& app, alert_flags& f, const std::string& default_addr) {
  app.add_option("--alerts-addr", f.addr,
                 "Receive Alertmanager webhooks here ([host]:port, 0 disables); beyond loopback it needs "
                 "--alerts-bearer-token-file or --alerts-tls-client-ca")
      ->default_val(default_addr);
  app.add_option("--alerts-bearer-token-file", f.token_file,
                 "Alert requests must carry this file's token (Authorization: Bearer); re-read when the file changes");
  app.add_option("--alerts-tls-cert", f.tls_cert, "Serve the alert receiver over HTTPS with this PEM certificate");
  app.add_option("--alerts-tls-key", f.tls_key, "PEM private key for --alerts-tls-cert");
  app.add_option("--alerts-tls-client-ca", f.tls_client_ca,
                 "With --alerts-tls-cert: clients must present a certificate signed by this PEM CA");
  app.add_option("--alerts-rate", f.requests_per_second, "Alert requests accepted per second (bursts of twice that)")
      ->default_val(20)
      ->check(CLI::PositiveNumber);
}

model::result<std::optional<am::receiver_options>> receiver_options_of(const alert_flags& f) {
  if (f.addr == "0")
    return std::optional<am::receiver_options>{};
  auto a = listen_address("--alerts-addr", f.addr);
  if (!a.is_ok())
    return a.error();
  am::receiver_options ro;
  ro.address = a.value().address;
  ro.port = a.value().port;
  ro.bearer_token_file = f.token_file;
  ro.requests_per_second = f.requests_per_second;
  if (f.tls_cert.empty() != f.tls_key.empty())
    return model::status::invalid("--alerts-tls-cert and --alerts-tls-key go together");
  if (!f.tls_client_ca.empty() && f.tls_cert.empty())
    return model::status::invalid("--alerts-tls-client-ca needs --alerts-tls-cert and --alerts-tls-key");
  if (!f.tls_cert.empty())
    ro.tls = integrations::http::tls_files{f.tls_cert, f.tls_key, f.tls_client_ca};
  if (!am::is_loopback(ro.address) && f.token_file.empty() && f.tls_client_ca.empty())
    return model::status::invalid("--alerts-addr " + f.addr + " listens beyond loopback (" + ro.address
                                  + "): give --alerts-bearer-token-file or --alerts-tls-client-ca, since alerts add "
                                    "and remove brokers (or listen on 127.0.0.1)");
  return std::optional<am::receiver_options>{std::move(ro)};
}

} // namespace kactor::runtime
