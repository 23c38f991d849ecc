#include "integrations/http/detail/chunk_queue.hpp"

#include <utility>

namespace kactor::integrations::http::detail {

bool chunk_queue::push(std::string chunk) {
  if (backlog_ + chunk.size() > backlog_limit)
    return false;
  backlog_ += chunk.size();
  queue_.push_back(std::move(chunk));
  return true;
}

std::string chunk_queue::pop() {
  auto chunk = std::move(queue_.front());
  queue_.pop_front();
  backlog_ -= chunk.size();
  return chunk;
}

} // namespace kactor::integrations::http::detail
