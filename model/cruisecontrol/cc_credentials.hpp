// kactor's credentials for one Cruise Control's REST API, and how they are read from the Secret that
// spec.cruiseControlConfig.credentialsSecretRef names.
//
// Keys of the Secret (its data, already base64-decoded), any subset:
// - `ca.crt`: PEM certificates that Cruise Control's server certificate must chain to (https endpoints);
// - `tls.crt` + `tls.key`: kactor's client certificate and key (webserver.ssl with client authentication) —
//   the keys of a kubernetes.io/tls Secret, so cert-manager's Certificates can be named directly;
// - `username` + `password`: HTTP basic authentication (BasicSecurityProvider) — the keys of a
//   kubernetes.io/basic-auth Secret — with `endpoint`: the Cruise Control URL the password is for. A password
//   goes only there: whoever may edit a KafkaCluster (its cruiseControlEndpoint) but not read Secrets must not
//   be able to have kactor send it elsewhere. (A client certificate needs no pin: its key never leaves.)
// Rules: a certificate without its key (or the reverse), a username without a password (or the reverse),
// a password without `endpoint`, PEM keys that hold no PEM block, or a Secret with none of the keys is an
// error naming the Secret and the key. Other keys are ignored. Error messages never contain a value.
//
// Pure: no I/O; safe from any thread.
#pragma once

#include <map>
#include <string>

#include "model/status.hpp"

namespace kactor::model {

/// PEM text and basic-auth credentials; an empty field is not used.
struct cruise_control_credentials {
  std::string ca_pem;
  std::string client_cert_pem, client_key_pem;
  std::string username, password;
  /// Where the password may go ("https://host:port[/prefix]"); empty: anywhere (flags, or no password).
  std::string endpoint;

  bool empty() const;
  /// A digest of every field (for telling two sets apart without keeping or logging their values).
  std::string fingerprint() const;
  bool operator==(const cruise_control_credentials&) const = default;
};

/// The credentials in Secret `secret_name`'s decoded data; see the rules above.
result<cruise_control_credentials> credentials_from_secret(const std::string& secret_name,
                                                           const std::map<std::string, std::string>& data);

} // namespace kactor::model
