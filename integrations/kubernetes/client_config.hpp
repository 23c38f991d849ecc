// Where the Kubernetes API is and how to authenticate: from a kubeconfig file (as kubectl reads it) or
// from inside a pod (the service account), like client-go's clientcmd and rest.InClusterConfig.
//
// Kubeconfig: the `current-context` or a named context selects a cluster and a user. Supported: server
// (http or https, IPv4/IPv6/DNS, default port 443/80), certificate-authority (file, relative to the
// kubeconfig's folder) or certificate-authority-data (base64), insecure-skip-tls-verify, tls-server-name;
// user token or tokenFile, client-certificate(-data) and client-key(-data). Anything else a user relies
// on for auth (exec plugins, auth-provider, username/password) is refused with an error naming it, rather
// than silently connecting unauthenticated. In-cluster: KUBERNETES_SERVICE_HOST/PORT, the token, CA and
// namespace files under the service-account folder; the token file is re-read when it rotates.
// Errors name the file and the field at fault. No network I/O; reads files.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "integrations/http/async_client.hpp"
#include "model/status.hpp"

namespace kactor::integrations::kubernetes {

/// Everything needed to talk to one API server.
struct client_config {
  std::string server;               ///< as given, "https://10.0.0.1:443"
  http::client_endpoint endpoint;   ///< host, port, TLS material (PEM)
  std::string token;                ///< bearer token, when given inline
  std::string token_file;           ///< bearer token read from this file (re-read on rotation)
  std::string default_namespace = "default";
  std::string source;               ///< where this came from, for messages: "kubeconfig /x (context y)"
};

/// Parses kubeconfig YAML text. `base_dir` resolves relative file paths; `context` empty means
/// current-context.
model::result<client_config> parse_kubeconfig(const std::string& yaml_text, const std::string& base_dir,
                                              const std::string& context, const std::string& source_name);
/// Reads and parses a kubeconfig file.
model::result<client_config> load_kubeconfig(const std::string& path, const std::string& context = "");

/// Reads the in-cluster configuration. `getenv` is injectable for tests; `sa_dir` defaults to
/// /var/run/secrets/kubernetes.io/serviceaccount.
model::result<client_config> load_in_cluster(
    const std::function<std::optional<std::string>(const std::string&)>& getenv,
    const std::string& sa_dir = "/var/run/secrets/kubernetes.io/serviceaccount");

/// The usual order: an explicit kubeconfig path, else $KUBECONFIG, else in-cluster when
/// KUBERNETES_SERVICE_HOST is set, else ~/.kube/config.
model::result<client_config> load_default_config(const std::string& kubeconfig_path, const std::string& context);

/// Splits "https://host:port" into host, port and TLS flag; errors name what is wrong with the URL.
model::status parse_server_url(const std::string& url, http::client_endpoint& out);

/// The bearer token for each request: the inline token, or the token file re-read when its content may
/// have rotated (every `reread`, and at once after invalidate(), which the client calls on a 401).
/// Thread-safe.
class token_source {
public:
  token_source(std::string token, std::string file, std::chrono::seconds reread = std::chrono::seconds{60});
  /// The token to send; empty when none is configured or the file cannot be read.
  std::string current();
  void invalidate();

private:
  std::mutex mutex_;
  std::string token_;
  std::string file_;
  std::chrono::seconds reread_;
  std::chrono::steady_clock::time_point read_at_{};
  bool fresh_ = false;
};

} // namespace kactor::integrations::kubernetes
