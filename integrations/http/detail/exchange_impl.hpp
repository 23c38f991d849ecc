// The handles a handler holds (exchange, stream) and the port through which they reach their connection.
// Beast-free: server.cpp implements `connection` once per HTTP connection.
//
// A handle holds its connection weakly and reaches it only through a `gate` that the server closes first thing
// in stop(). So any thread may use a handle at any time, before or after stop(), and no handle keeps a socket
// or the io_context alive. Connection calls only post onto the connection's strand and return at once.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "integrations/http/server.hpp"

namespace kactor::integrations::http::detail {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// Open while the server runs; stop() closes it before tearing anything down.
struct gate {
  std::mutex mu;
  bool open = true;
};

class stream_impl;

/// What handles ask of one HTTP connection. Every call posts onto the connection's strand.
class connection {
public:
  virtual ~connection() = default;
  /// Answers the request with the handler, if one is waiting for its answer.
  virtual void post_respond(response r) = 0;
  /// Starts a chunked answer to the waiting request; marks `st` closed if there is none any more.
  virtual void post_start_stream(int status, header_list headers, std::shared_ptr<stream_impl> st) = 0;
  /// Queues a chunk, if `from` is still the open stream.
  virtual void post_chunk(const stream_impl* from, std::string chunk) = 0;
  /// Ends `from` after its queued chunks.
  virtual void post_finish(const stream_impl* from) = 0;
  /// Closes the socket now. Only while no I/O thread runs (in stop()).
  virtual void abort() = 0;
};

/// A chunked response body as the handler sees it.
class stream_impl final : public stream {
public:
  stream_impl(std::shared_ptr<gate> g, std::weak_ptr<connection> c) : gate_(std::move(g)), conn_(std::move(c)) {}
  bool write(std::string chunk) override;
  void close() override;
  bool is_open() const override { return open_; }
  /// The peer left, the server stopped, or the stream never started. Called by the connection.
  void mark_closed() { open_ = false; }

private:
  std::shared_ptr<gate> gate_;
  std::weak_ptr<connection> conn_;
  std::atomic<bool> open_{true};
};

/// A request and its one answer as the handler sees them. Dropped unanswered, it answers 500.
class exchange_impl final : public exchange {
public:
  exchange_impl(request req, std::shared_ptr<gate> g, std::weak_ptr<connection> c)
      : req_(std::move(req)), gate_(std::move(g)), conn_(std::move(c)) {}
  ~exchange_impl() override;
  const request& req() const override { return req_; }
  void respond(response r) override;
  std::shared_ptr<stream> start_stream(int status, header_list headers) override;

private:
  request req_;
  std::shared_ptr<gate> gate_;
  std::weak_ptr<connection> conn_;
  std::atomic<bool> answered_{false};
};

} // namespace kactor::integrations::http::detail
