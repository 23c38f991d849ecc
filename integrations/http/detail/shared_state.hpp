// What the HTTP server's sessions share with the server (server.cpp): the options, the handler, the gate the
// handles pass, and the table that owns every connection. Beast-free.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "integrations/http/detail/exchange_impl.hpp"
#include "integrations/http/server.hpp"

namespace kactor::integrations::http::detail {

/// What sessions share with the server; it outlives every I/O thread.
struct shared_state {
  using session_table = std::unordered_map<connection*, std::shared_ptr<connection>>;

  server_options opts;
  handler on_request;
  std::shared_ptr<gate> doors = std::make_shared<gate>();
  mutable std::mutex mu;
  /// Owns each connection from accept to its fail(): nothing else does while a handler works on a request.
  session_table sessions;
  std::atomic<size_t> refused{0};   ///< closed on accept: the table was full
  std::atomic<size_t> timed_out{0}; ///< closed by a read or write deadline

  /// Closes the gate (first thing in stop()): from then on no handle reaches its connection.
  void close_doors();
  void add(std::shared_ptr<connection> s);
  /// How many connections the table holds (the accept loop compares it with max_connections).
  size_t open_count() const;
  void forget(connection* s);
  /// Empties the table (stop()): the caller aborts and drops what it gets.
  session_table take_all();
};

} // namespace kactor::integrations::http::detail
