// A blocking HTTP/1.1 client over one kept-alive connection: for benchmarks, tests and tools that need
// a plain request/response or to read a chunked stream line by line. (The operator's own Kubernetes
// client is asynchronous and lives in integrations/kubernetes.) Beast-free header.
//
// Not thread-safe: one client per thread. Every call has a timeout; a failure closes the connection and
// the next call reconnects. TLS verifies the server against `ca_file` when given.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "integrations/http/server.hpp"
#include "model/status.hpp"

namespace kactor::integrations::http {

/// Where and how to connect.
struct client_options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  bool tls = false;
  std::string ca_file; ///< with tls: verify against this PEM; empty: no verification
  std::chrono::milliseconds timeout{10000};
};

/// A blocking client; see the file comment.
class blocking_client {
public:
  virtual ~blocking_client() = default;
  /// Sends one request and reads the whole response.
  virtual model::result<response> send(const std::string& method, const std::string& target,
                                       const std::string& body = "", const header_map& headers = {}) = 0;
  /// Sends a GET and calls `on_line` for each line of a chunked/streamed body until it returns false, the
  /// server ends the body, or `timeout` passes. Returns the status code.
  virtual model::result<int> stream_lines(const std::string& target, const std::function<bool(const std::string&)>& on_line,
                                          std::chrono::milliseconds timeout, const header_map& headers = {}) = 0;
};

std::unique_ptr<blocking_client> make_blocking_client(client_options opts);

} // namespace kactor::integrations::http
