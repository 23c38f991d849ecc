#include "integrations/http/detail/exchange_impl.hpp"

namespace kactor::integrations::http::detail {
namespace {

/// Runs f on the connection while the server runs and the connection lives; false otherwise.
template <class F>
bool with_connection(gate& g, const std::weak_ptr<connection>& wc, F&& f) {
  std::lock_guard lock{g.mu}; // held while posting: stop() cannot pass the gate meanwhile
  auto c = g.open ? wc.lock() : nullptr;
  if (c)
    f(*c);
  return c != nullptr;
}

} // namespace

bool stream_impl::write(std::string chunk) {
  return open_ && with_connection(*gate_, conn_, [&](connection& c) { c.post_chunk(this, std::move(chunk)); });
}

void stream_impl::close() {
  if (open_.exchange(false))
    with_connection(*gate_, conn_, [this](connection& c) { c.post_finish(this); });
}

exchange_impl::~exchange_impl() {
  // A handler that drops its exchange unanswered would otherwise leave the client waiting forever.
  if (!answered_.exchange(true))
    with_connection(*gate_, conn_, [](connection& c) {
      c.post_respond({500, {{"Content-Type", "text/plain"}}, "request dropped without an answer\n"});
    });
}

void exchange_impl::respond(response r) {
  if (!answered_.exchange(true))
    with_connection(*gate_, conn_, [&](connection& c) { c.post_respond(std::move(r)); });
}

std::shared_ptr<stream> exchange_impl::start_stream(int status, header_list headers) {
  auto st = std::make_shared<stream_impl>(gate_, conn_);
  auto start = [&](connection& c) { c.post_start_stream(status, std::move(headers), st); };
  if (answered_.exchange(true) || !with_connection(*gate_, conn_, start))
    st->mark_closed();
  return st;
}

} // namespace kactor::integrations::http::detail
