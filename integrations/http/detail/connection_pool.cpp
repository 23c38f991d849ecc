#include "integrations/http/detail/connection_pool.hpp"

#include <utility>

namespace kactor::integrations::http::detail {

void admission_queue::admit(std::function<void()> start, bool background) {
  if (in_flight_ < max_in_flight_) {
    ++in_flight_;
    return start();
  }
  (background ? background_ : waiting_).push_back(std::move(start));
}

void admission_queue::release() {
  --in_flight_;
  auto& lane = !waiting_.empty() ? waiting_ : background_;
  if (lane.empty())
    return;
  auto next = std::move(lane.front());
  lane.pop_front();
  ++in_flight_;
  next();
}

void admission_queue::start_all_waiting() {
  for (auto* lane : {&waiting_, &background_}) {
    auto starts = std::move(*lane);
    lane->clear();
    for (auto& start : starts) {
      ++in_flight_;
      start();
    }
  }
}

} // namespace kactor::integrations::http::detail
