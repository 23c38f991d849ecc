// Self-signed TLS material for loopback servers (`kactor sim --serve --tls`, tests): an EC P-256 key and a
// certificate valid for one day for the given IP addresses and DNS names, usable as its own CA by
// clients (kubectl, Python). Writes PEM files; errors name the OpenSSL step that failed. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "integrations/http/server.hpp"
#include "model/status.hpp"

namespace kactor::integrations::http {

/// Writes `dir`/tls.crt and `dir`/tls.key (mode 0600) for `hosts` (IPs or DNS names).
model::result<tls_files> write_self_signed_cert(const std::string& dir, const std::vector<std::string>& hosts);

} // namespace kactor::integrations::http
