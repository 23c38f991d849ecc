#include "integrations/http/detail/connection_pool.hpp"

#include <utility>

namespace kactor::integrations::http::detail {

void admission_queue::admit(std::function<void()> start) {
  if (in_flight_ < k_max_in_flight) {
    ++in_flight_;
    return start();
  }
  waiting_.push_back(std::move(start));
}

void admission_queue::release() {
  --in_flight_;
  if (waiting_.empty())
    return;
  auto next = std::move(waiting_.front());
  waiting_.pop_front();
  ++in_flight_;
  next();
}

void admission_queue::start_all_waiting() {
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& start : waiting) {
    ++in_flight_;
    start();
  }
}

} // namespace kactor::integrations::http::detail
