// What one stream() of the asynchronous client (async_client.cpp, stream_op) tells its reader: on_headers, the
// body split into lines for on_line (or, for a status other than 200, kept whole for on_end), on_end once, and
// no callback after cancel(). Beast-free: the Beast side hands in the bytes it read.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>

#include "integrations/http/async_client.hpp"
#include "model/status.hpp"

namespace kactor::integrations::http::detail {

/// One line of a stream (one watch event) above this ends the stream with an error.
constexpr size_t k_line_limit = 16 * 1024 * 1024;

/// The reader's side of one stream. Its callbacks run under a recursive mutex that cancel() takes too.
class stream_reader {
public:
  explicit stream_reader(stream_callbacks cbs) : cbs_(std::move(cbs)) {}

  /// What feed() made of the bytes.
  enum class fed {
    more,     ///< read on
    stopped,  ///< on_line returned false or the stream was cancelled: close, no on_end follows
    too_long, ///< a line exceeds k_line_limit
  };

  /// Waits for a callback running on another thread (recursive: a callback may cancel its own stream).
  void cancel();
  bool cancelled() const { return cancelled_; }
  /// The status line arrived: on_headers. False when cancelled (before or by the callback).
  bool headers(int status);
  /// Bytes of the body: lines to on_line when the status is 200, else kept for on_end.
  fed feed(const char* data, size_t got);
  /// The status once the headers arrived, else 0.
  int status() const { return status_; }
  /// on_end, once, unless the reader stopped the stream.
  void end(model::status why);

private:
  /// Runs one user callback unless cancelled; false when cancelled (before or by the callback).
  template <class F>
  bool call(F&& f);

  stream_callbacks cbs_;
  std::string pending_;
  std::string error_body_;
  int status_ = 0;
  bool ended_ = false;
  bool stopped_by_reader_ = false;
  std::recursive_mutex callback_mutex_;
  std::atomic<bool> cancelled_{false};
};

} // namespace kactor::integrations::http::detail
