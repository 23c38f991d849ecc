// A small HTTP/1.1 server: the only way kactor serves HTTP (the simulated API server, later the alert
// receiver and /metrics). Beast-free header; the Beast code lives in server.cpp alone.
//
// Contract: make_server binds `address:port` (port 0 picks a free one), starts `threads` I/O threads and
// returns once listening. Each request is handed to the handler on an I/O thread as an `exchange`; the
// handler answers exactly once, either with respond() (now or later, from any thread) or by start_stream(),
// which sends chunked transfer-encoding and keeps the connection until the stream is closed or the peer
// leaves. Connections are kept alive between requests (HTTP/1.1 keep-alive). Bodies above body_limit get
// 413, a request line plus headers above header_limit 431, malformed requests 400, all without calling the
// handler.
//
// Hostile clients (every listener may face one: alerts, metrics, the simulated API server): at most
// max_connections are served at once, the excess is accepted and closed at once (counted in stats()); a
// connection waiting idle_timeout for the first byte of a request, header_timeout for the rest of its
// header (slowloris) or body_timeout for its body is closed. So a slow or huge client costs one bounded
// slot for a bounded time, and never holds the I/O threads. stop() closes the listener and every
// connection, ends open streams and joins the threads; the destructor calls stop(). stop() joins the I/O
// threads, so it must not be called from a handler. A stream whose unsent chunks exceed 16 MiB, or whose
// reader stops reading for idle_timeout, is cut off (the client sees a truncated body).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/status.hpp"

namespace kactor::integrations::http {

/// Header name → value, names lowercased.
using header_map = std::map<std::string, std::string>;

/// One request as received.
struct request {
  std::string method; ///< "GET", "POST", ...
  std::string target; ///< path and query, e.g. "/api/v1/pods?watch=true"
  header_map headers;
  std::string body;
  std::string remote; ///< peer address "127.0.0.1:53122"
};

/// One complete response.
struct response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers; ///< e.g. {"Content-Type", "application/json"}
  std::string body;
};

/// An open chunked response. Thread-safe.
class stream {
public:
  virtual ~stream() = default;
  /// Queues one chunk; false once the stream is closed or the peer has gone.
  virtual bool write(std::string chunk) = 0;
  /// Ends the response (the terminating chunk is sent after queued chunks).
  virtual void close() = 0;
  /// False once closed by either side.
  virtual bool is_open() const = 0;
};

/// A request waiting for its answer.
class exchange {
public:
  virtual ~exchange() = default;
  virtual const request& req() const = 0;
  /// Sends a complete response. Call once, from any thread.
  virtual void respond(response r) = 0;
  /// Sends the status line and headers and returns the stream for the body. Call once instead of respond().
  virtual std::shared_ptr<stream> start_stream(int status, std::vector<std::pair<std::string, std::string>> headers) = 0;
};

/// Called on an I/O thread for every well-formed request.
using handler = std::function<void(std::shared_ptr<exchange>)>;

/// TLS material for an HTTPS listener (PEM files).
struct tls_files {
  std::string cert_file;
  std::string key_file;
  /// When set, clients must present a certificate this CA (PEM bundle) signed: the handshake fails otherwise.
  std::string client_ca_file;
};

/// How to listen.
struct server_options {
  std::string address = "127.0.0.1";
  uint16_t port = 0; ///< 0: any free port (see server::port)
  size_t body_limit = 3 * 1024 * 1024; ///< above it: 413
  size_t header_limit = 64 * 1024;     ///< request line + headers; above it: 431 (bearer tokens, long selectors fit)
  size_t max_connections = 1024;       ///< open at once; more are closed on accept
  int threads = 1;
  /// Closes connections idle this long between requests, and streams whose reader stops reading (an open
  /// stream itself never times out).
  std::chrono::milliseconds idle_timeout{std::chrono::seconds{120}};
  /// From a request's first byte to the end of its header (slowloris sends it a byte at a time).
  std::chrono::milliseconds header_timeout{std::chrono::seconds{10}};
  /// From the end of the header to the end of the body.
  std::chrono::milliseconds body_timeout{std::chrono::seconds{60}};
  std::optional<tls_files> tls;
};

/// What the server turned away or cut off since it started.
struct server_stats {
  size_t open_connections = 0;
  size_t refused_connections = 0; ///< closed on accept: max_connections were open
  size_t timed_out_connections = 0; ///< closed by idle_timeout, header_timeout or body_timeout
};

/// A running server.
class server {
public:
  virtual ~server() = default;
  /// The bound port.
  virtual uint16_t port() const = 0;
  /// Counters for metrics and tests; thread-safe.
  virtual server_stats stats() const = 0;
  /// Stops listening, closes connections and streams, joins the I/O threads. Idempotent.
  virtual void stop() = 0;
};

/// Starts a server; an error status when the address cannot be bound or the TLS files do not load.
model::result<std::unique_ptr<server>> make_server(server_options opts, handler h);

} // namespace kactor::integrations::http
