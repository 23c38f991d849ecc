// An asynchronous HTTP/1.1 client for one server: the transport under the Kubernetes client. Beast-free
// header; the Beast code lives in async_client.cpp alone.
//
// Contract: make_async_client starts one I/O thread. send() and stream() never block: they queue the
// request and return; the completion callbacks run later on the I/O thread, so they must not block
// either (hand work to an actor or another thread). Connections are kept alive and reused; a request
// that fails on a reused idle connection before any response byte arrives is retried once on a fresh
// one (the server may have closed it meanwhile). Every request has a deadline (`timeout`, default 30 s,
// covering connect, TLS handshake, write and read); for stream() it bounds each wait for more data.
// TLS verifies the peer against `ca_pem` (or the system store when empty), sends SNI and checks the
// host name, unless insecure_skip_verify; a verification failure names the reason OpenSSL gives.
// stop() cancels everything outstanding (callbacks see an error) and joins the thread; the destructor
// calls stop(). stop() must not be called from a callback.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "integrations/http/server.hpp"
#include "model/status.hpp"

namespace kactor::integrations::http {

/// TLS settings for a client connection (PEM text, not file names).
struct client_tls {
  bool enabled = false;
  std::string ca_pem;            ///< trust these CAs; empty: the system's default trust store
  bool insecure_skip_verify = false;
  std::string client_cert_pem;   ///< optional client certificate (mutual TLS)
  std::string client_key_pem;
  std::string server_name;       ///< SNI and host-name check; empty: the host
};

/// The server a client talks to.
struct client_endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  client_tls tls;
  /// Requests (not streams) in flight at once; the rest wait in the client, background ones last.
  size_t max_in_flight = 32;
};

/// One request to send.
struct outgoing_request {
  std::string method = "GET";
  std::string target; ///< path and query
  header_map headers; ///< names lowercased
  std::string body;
  std::chrono::milliseconds timeout{30000};
  /// Waits for a free slot behind every other waiting request (status writes, Events).
  bool background = false;
};

/// Called once per send() with the response or the transport error (timeouts say "timed out").
using response_callback = std::function<void(model::result<response>)>;

/// What a stream() reports, all on the I/O thread.
struct stream_callbacks {
  /// Once, when the status line and headers arrive. For a status other than 200 the body is not
  /// split into lines: on_end gets it whole in `error_body` instead.
  std::function<void(int status)> on_headers;
  /// Each line of the body without its '\n'; return false to stop reading (no on_end follows).
  std::function<bool(std::string_view line)> on_line;
  /// Once at the end unless on_line returned false: ok when the server ended the body, else why not.
  std::function<void(model::status why, int status, std::string error_body)> on_end;
};

/// An open stream; cancel() closes it from any thread (no callback runs after cancel returns).
class stream_handle {
public:
  virtual ~stream_handle() = default;
  virtual void cancel() = 0;
};

class async_client {
public:
  virtual ~async_client() = default;
  virtual void send(outgoing_request req, response_callback done) = 0;
  virtual std::shared_ptr<stream_handle> stream(outgoing_request req, stream_callbacks cbs) = 0;
  /// Runs `fn` on the I/O thread after `delay` (backoff timers, lease renewals).
  virtual void schedule(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
  /// Idle connections kept for reuse (for tests of keep-alive).
  virtual size_t idle_connections() const = 0;
  /// Connections opened so far.
  virtual uint64_t connections_opened() const = 0;
  virtual void stop() = 0;
};

/// Starts a client; an error when the TLS material does not load (naming which part).
model::result<std::shared_ptr<async_client>> make_async_client(client_endpoint endpoint);

} // namespace kactor::integrations::http
