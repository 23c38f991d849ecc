#include "integrations/http/detail/shared_state.hpp"

#include <utility>

namespace kactor::integrations::http::detail {

void shared_state::close_doors() {
  std::lock_guard lock{doors->mu};
  doors->open = false;
}

void shared_state::add(std::shared_ptr<connection> s) {
  std::lock_guard lock{mu};
  sessions.emplace(s.get(), std::move(s));
}

size_t shared_state::open_count() const {
  std::lock_guard lock{mu};
  return sessions.size();
}

void shared_state::forget(connection* s) {
  std::lock_guard lock{mu};
  sessions.erase(s);
}

shared_state::session_table shared_state::take_all() {
  session_table taken;
  {
    std::lock_guard table{mu};
    taken.swap(sessions);
  }
  return taken;
}

} // namespace kactor::integrations::http::detail
