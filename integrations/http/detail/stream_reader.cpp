#include "integrations/http/detail/stream_reader.hpp"

#include <algorithm>
#include <string_view>

namespace kactor::integrations::http::detail {

template <class F>
bool stream_reader::call(F&& f) {
  std::lock_guard lock(callback_mutex_);
  if (cancelled_)
    return false;
  bool go_on = f();
  return go_on && !cancelled_;
}

void stream_reader::cancel() {
  std::lock_guard lock(callback_mutex_);
  cancelled_ = true;
}

bool stream_reader::headers(int status) {
  status_ = status;
  return call([&] {
    if (cbs_.on_headers)
      cbs_.on_headers(status_);
    return true;
  });
}

stream_reader::fed stream_reader::feed(const char* data, size_t got) {
  if (status_ != 200) {
    error_body_.append(data, std::min(got, size_t{1} << 20));
    return fed::more;
  }
  pending_.append(data, got);
  size_t start = 0;
  for (size_t nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n', start)) {
    std::string_view line(pending_.data() + start, nl - start);
    start = nl + 1;
    if (!call([&] { return cbs_.on_line ? cbs_.on_line(line) : true; })) {
      stopped_by_reader_ = true;
      return fed::stopped;
    }
  }
  pending_.erase(0, start);
  if (pending_.size() > k_line_limit)
    return fed::too_long;
  return fed::more;
}

void stream_reader::end(model::status why) {
  if (ended_ || stopped_by_reader_)
    return;
  ended_ = true;
  call([&] {
    if (cbs_.on_end)
      cbs_.on_end(why, status_, error_body_);
    return true;
  });
}

} // namespace kactor::integrations::http::detail
