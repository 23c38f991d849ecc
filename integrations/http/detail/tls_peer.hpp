// The OpenSSL side of the asynchronous client's TLS connections (async_client.cpp, open_connection): whom
// the peer certificate must name, and why a handshake failed. Beast-free.
#pragma once

#include <string>

#include <openssl/ssl.h>

namespace kactor::integrations::http::detail {

/// Sets the name the peer certificate is checked against (unless `verify` is false: insecure_skip_verify) and
/// sends it as SNI unless it is an IP address.
void set_peer_name(SSL* ssl, const std::string& name, bool name_is_ip, bool verify);

/// Why a handshake failed: the reason OpenSSL gives when the peer certificate did not verify, else `why`.
std::string handshake_failure(SSL* ssl, std::string why);

} // namespace kactor::integrations::http::detail
