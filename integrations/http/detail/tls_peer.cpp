#include "integrations/http/detail/tls_peer.hpp"

#include <utility>

#include <openssl/x509v3.h>

namespace kactor::integrations::http::detail {

void set_peer_name(SSL* ssl, const std::string& name, bool name_is_ip, bool verify) {
  if (verify) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (name_is_ip)
      X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
    else
      X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
  }
  if (!name_is_ip)
    SSL_set_tlsext_host_name(ssl, name.c_str());
}

std::string handshake_failure(SSL* ssl, std::string why) {
  long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK)
    why = std::string{"certificate verify failed: "} + X509_verify_cert_error_string(verify);
  return why;
}

} // namespace kactor::integrations::http::detail
