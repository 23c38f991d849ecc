// The scenario run's progress on a terminal or a log (internal to sim/scenario/): events as lines and, on a
// terminal, one status line kept under them. Thread-safe: the timeline, the faults and the status thread
// all print.
#pragma once

#include <mutex>
#include <ostream>
#include <string>

namespace kactor::sim::detail {

/// Prints events as lines and, on a terminal, keeps one status line under them.
class progress_printer {
public:
  progress_printer(std::ostream* out, bool tty) : out_(out), tty_(tty) {}
  void event(const std::string& line) {
    if (!out_)
      return;
    std::lock_guard lock(mutex_);
    if (tty_)
      *out_ << "\r\033[K";
    *out_ << line << '\n';
    if (tty_)
      *out_ << status_;
    out_->flush();
  }
  void status(const std::string& line) {
    if (!out_ || !tty_)
      return;
    std::lock_guard lock(mutex_);
    status_ = line;
    *out_ << "\r\033[K" << status_;
    out_->flush();
  }
  void done() {
    if (out_ && tty_) {
      std::lock_guard lock(mutex_);
      *out_ << "\r\033[K";
      out_->flush();
    }
  }

private:
  std::ostream* out_;
  bool tty_;
  std::mutex mutex_;
  std::string status_;
};

} // namespace kactor::sim::detail
