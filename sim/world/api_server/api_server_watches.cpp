// The simulated API server's watches (api_server_impl.hpp): a watch request becomes a stream fed by the
// object store; the housekeeping thread ends expired or closed streams, sends bookmarks and answers the
// requests a latency fault or the load model delayed (to the workers), and answers 429 to requests that
// waited too long in a flow-control queue.
#include "sim/world/api_server/api_server_impl.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "sim/world/api_server/crd_admission.hpp"
#include "sim/world/api_server/selectors.hpp"
#include "sim/world/api_server/table.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim::detail {

void api_server_impl::start_watch(const std::shared_ptr<http::exchange>& ex, const resource_type& type, const resource_path& rp,
                                  const query_map& q) {
  auto labels = parse_label_selector(q.contains("labelSelector") ? q.at("labelSelector") : "");
  auto fields = parse_field_selector(q.contains("fieldSelector") ? q.at("fieldSelector") : "");
  if (!labels || !fields) {
    ex->respond(error_response({400, "BadRequest", (!labels ? labels.error() : fields.error()).message()}));
    return;
  }
  watch_request wr;
  wr.resource_key = type.key();
  wr.namespace_ = rp.namespace_;
  wr.labels = *labels;
  wr.fields = *fields;
  wr.bookmarks = query_bool(q, "allowWatchBookmarks");
  auto rv = q.contains("resourceVersion") ? q.at("resourceVersion") : "";
  if (!rv.empty() && rv != "0") {
    char* end = nullptr;
    auto parsed = std::strtoull(rv.c_str(), &end, 10);
    if (!end || *end != '\0') {
      ex->respond(error_response({400, "BadRequest", "invalid resourceVersion \"" + rv + "\""}));
      return;
    }
    wr.from_version = parsed;
  }
  bool table = wants_table(header(ex->req(), "accept"));
  auto stream = ex->start_stream(200, {{"Content-Type", "application/json"}});
  auto first = std::make_shared<std::atomic<bool>>(true);
  wr.deliver = [stream, type, table, first](const watch_event& e) {
    json object = e.object;
    if (e.type != "BOOKMARK" && e.type != "ERROR")
      apply_read_defaults(type, object);
    if (table && e.type != "BOOKMARK" && e.type != "ERROR")
      object = to_table(type, {object}, e.object["metadata"].value("resourceVersion", ""),
                        std::chrono::system_clock::now(), first->exchange(false));
    stream->write(json{{"type", e.type}, {"object", object}}.dump() + "\n");
  };
  auto handle = store_->watch(std::move(wr));
  if (auto* err = std::get_if<api_error>(&handle)) {
    // The apiserver reports an expired starting point inside the stream, then ends it.
    stream->write(json{{"type", "ERROR"}, {"object", err->to_status()}}.dump() + "\n");
    stream->close();
    return;
  }
  open_watch w{std::move(std::get<std::unique_ptr<watch_handle>>(handle)), stream, type.key(), type.group_version(),
               type.kind, std::nullopt};
  if (q.contains("timeoutSeconds"))
    w.deadline = clock::now() + std::chrono::seconds(std::strtoll(q.at("timeoutSeconds").c_str(), nullptr, 10));
  std::lock_guard guard{watches_mutex_};
  watches_.push_back(std::move(w));
}

void api_server_impl::housekeeping() {
  auto next_bookmark = clock::now() + opts_.bookmark_interval;
  std::unique_lock lock{watches_mutex_};
  while (!stopping_) {
    auto until = clock::now() + std::chrono::milliseconds(100);
    if (!delayed_.empty())
      until = std::min(until, delayed_.begin()->first);
    until = std::min(until, flow_.next_expiry());
    wake_.wait_until(lock, until);
    auto now = clock::now();
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      ready_.push_back(std::move(delayed_.begin()->second));
      delayed_.erase(delayed_.begin());
    }
    if (!ready_.empty())
      ready_cv_.notify_all();
    std::list<open_watch> finished;
    for (auto it = watches_.begin(); it != watches_.end();) {
      bool expired = it->deadline && now >= *it->deadline;
      if (expired || !it->stream->is_open()) {
        auto next = std::next(it);
        finished.splice(finished.end(), watches_, it);
        it = next;
      } else {
        ++it;
      }
    }
    std::vector<std::tuple<std::string, std::string, std::string>> keys;
    if (now >= next_bookmark) {
      next_bookmark = now + opts_.bookmark_interval;
      for (const auto& w : watches_)
        keys.emplace_back(w.resource_key, w.api_version, w.kind);
    }
    lock.unlock();
    for (auto& timed_out : flow_.expire(now))
      timed_out(false);
    for (auto& w : finished) {
      w.handle.reset();
      w.stream->close();
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto& [key, api_version, kind] : keys)
      store_->bookmark(key, api_version, kind);
    lock.lock();
  }
}

} // namespace kactor::sim::detail
