#include "model/cruisecontrol/cc_credentials.hpp"

#include "model/hash.hpp"

namespace kactor::model {

namespace {

status key_error(const std::string& secret, const std::string& key, const std::string& why) {
  return status::invalid("Secret " + secret + ": key " + key + ": " + why);
}

bool holds_pem(const std::string& text) { return text.find("-----BEGIN ") != std::string::npos; }

} // namespace

bool cruise_control_credentials::empty() const {
  return ca_pem.empty() && client_cert_pem.empty() && client_key_pem.empty() && username.empty() && password.empty();
}

std::string cruise_control_credentials::fingerprint() const {
  std::string all;
  for (const auto* f : {&ca_pem, &client_cert_pem, &client_key_pem, &username, &password, &endpoint})
    all += std::to_string(f->size()) + ":" + *f; // length-prefixed: no two sets run together the same way
  return short_hash(all);
}

result<cruise_control_credentials> credentials_from_secret(const std::string& secret_name,
                                                           const std::map<std::string, std::string>& data) {
  auto value = [&](const char* key) {
    auto it = data.find(key);
    return it == data.end() ? std::string{} : it->second;
  };
  cruise_control_credentials c{value("ca.crt"),   value("tls.crt"),  value("tls.key"),
                               value("username"), value("password"), value("endpoint")};
  if (c.empty())
    return status::invalid("Secret " + secret_name
                           + ": holds none of ca.crt, tls.crt + tls.key, username + password (or they are empty)");
  for (auto [key, text] : {std::pair{"ca.crt", &c.ca_pem}, std::pair{"tls.crt", &c.client_cert_pem},
                           std::pair{"tls.key", &c.client_key_pem}})
    if (!text->empty() && !holds_pem(*text))
      return key_error(secret_name, key, "not PEM (no \"-----BEGIN\" line)");
  if (c.client_cert_pem.empty() != c.client_key_pem.empty())
    return key_error(secret_name, c.client_cert_pem.empty() ? "tls.crt" : "tls.key",
                     std::string{"missing: a client certificate needs both tls.crt and tls.key"});
  if (c.username.empty() != c.password.empty())
    return key_error(secret_name, c.username.empty() ? "username" : "password",
                     std::string{"missing: basic authentication needs both username and password"});
  if (!c.password.empty() && c.endpoint.empty())
    return key_error(secret_name, "endpoint",
                     "missing: the Cruise Control URL the password is for (it is sent nowhere else)");
  return c;
}

} // namespace kactor::model
