// The chunks of an open response stream waiting to be written (server.cpp, session), with their byte count
// so that a reader too slow for its stream is dropped. Beast-free; used on the session's strand only.
#pragma once

#include <cstddef>
#include <deque>
#include <string>

namespace kactor::integrations::http::detail {

class chunk_queue {
public:
  /// Queued chunk bytes before a slow reader is dropped.
  static constexpr std::size_t backlog_limit = 16 * 1024 * 1024;

  /// Queues `chunk`; false, queuing nothing, when the backlog would exceed backlog_limit.
  bool push(std::string chunk);
  bool empty() const { return queue_.empty(); }
  /// The oldest chunk, taken off the queue. Only when not empty().
  std::string pop();

private:
  std::deque<std::string> queue_; // chunks waiting, in order
  std::size_t backlog_ = 0;       // bytes in queue_
};

} // namespace kactor::integrations::http::detail
