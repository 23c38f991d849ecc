#include "integrations/http/tls_cert.hpp"

#include <cstdio>
#include <memory>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace kactor::integrations::http {

namespace {

struct deleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(FILE* f) const { std::fclose(f); }
};

template <class T>
using owned = std::unique_ptr<T, deleter>;

bool add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext)
    return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

bool is_ip(const std::string& host) {
  return host.find_first_not_of("0123456789.") == std::string::npos || host.find(':') != std::string::npos;
}

} // namespace

model::result<tls_files> write_self_signed_cert(const std::string& dir, const std::vector<std::string>& hosts) {
  auto err = [](const char* step) { return model::status::invalid(std::string{"TLS certificate: "} + step + " failed"); };
  owned<EVP_PKEY> key{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")};
  if (!key)
    return err("key generation");
  owned<X509> cert{X509_new()};
  if (!cert)
    return err("X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("kactor-sim"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san;
  for (const auto& h : hosts)
    san += (san.empty() ? "" : ",") + std::string{is_ip(h) ? "IP:" : "DNS:"} + h;
  if (!add_extension(cert.get(), NID_subject_alt_name, san)
      || !add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE")
      || !add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign")
      || !add_extension(cert.get(), NID_ext_key_usage, "serverAuth"))
    return err("adding extensions");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return err("signing");
  tls_files files{dir + "/tls.crt", dir + "/tls.key"};
  owned<FILE> crt{std::fopen(files.cert_file.c_str(), "w")};
  if (!crt || PEM_write_X509(crt.get(), cert.get()) != 1)
    return model::status::invalid("TLS certificate: cannot write " + files.cert_file);
  owned<FILE> pem{std::fopen(files.key_file.c_str(), "w")};
  if (!pem)
    return model::status::invalid("TLS certificate: cannot write " + files.key_file);
  ::chmod(files.key_file.c_str(), 0600);
  if (PEM_write_PrivateKey(pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return model::status::invalid("TLS certificate: cannot write " + files.key_file);
  return files;
}

} // namespace kactor::integrations::http
