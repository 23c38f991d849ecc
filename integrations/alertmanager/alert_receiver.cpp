#include "integrations/alertmanager/alert_receiver.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <openssl/crypto.h>

#include "model/time.hpp"

namespace kactor::integrations::alertmanager {

namespace {

using clock = std::chrono::steady_clock;

/// The token file as last read: re-read when its modification time or size changes (a Kubernetes Secret
/// volume swaps a symlink on rotation, which changes both as seen through the path).
struct token_source {
  std::string path;
  std::mutex mutex;
  std::string token;
  std::filesystem::file_time_type mtime{};
  std::uintmax_t size = 0;

  /// Reads the file; an unreadable or empty file keeps the token it had (a rotation half done).
  model::status refresh() {
    std::error_code ec;
    auto t = std::filesystem::last_write_time(path, ec);
    auto n = ec ? 0 : std::filesystem::file_size(path, ec);
    if (ec)
      return model::status::invalid("bearer token file " + path + ": " + ec.message());
    if (!token.empty() && t == mtime && n == size)
      return {};
    std::ifstream in(path);
    std::string word;
    if (!(in >> word))
      return model::status::invalid("bearer token file " + path + ": no token in it");
    token = std::move(word);
    mtime = t;
    size = n;
    return {};
  }

  std::string current() {
    std::lock_guard lock(mutex);
    (void)refresh();
    return token;
  }
};

/// A token bucket: `rate` per second, bursts of twice that.
struct rate_limit {
  std::mutex mutex;
  double rate = 20, tokens = 40;
  clock::time_point last = clock::now();

  bool take() {
    std::lock_guard lock(mutex);
    auto now = clock::now();
    tokens = std::min(2 * rate, tokens + rate * std::chrono::duration<double>(now - last).count());
    last = now;
    if (tokens < 1)
      return false;
    tokens -= 1;
    return true;
  }
};

/// Compares in time independent of where the strings differ (a token must not be guessable byte by byte).
bool same_secret(const std::string& got, const std::string& want) {
  if (got.size() != want.size())
    return CRYPTO_memcmp(want.data(), want.data(), want.size()) != 0; // same work, always false
  return CRYPTO_memcmp(got.data(), want.data(), want.size()) == 0;
}

} // namespace

struct alert_receiver::impl {
  receiver_options opts;
  deliver_fn deliver;
  std::unique_ptr<http::server> server;
  std::atomic<uint64_t> received{0}, refused{0};
  std::unique_ptr<token_source> token_file;
  rate_limit limit;
};

namespace {

/// Integrations read their own clock (they may not include actors/); the format is model's.
std::string now_rfc3339() { return model::format_rfc3339(std::chrono::system_clock::now()); }

http::response plain_text(int status, std::string body) {
  return {status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body) + "\n"};
}

bool authenticated(alert_receiver::impl& r, const http::request& req) {
  std::optional<std::string> want = r.opts.bearer_token;
  if (r.token_file)
    want = r.token_file->current();
  if (!want)
    return true; // loopback, or TLS client certificates (checked in the handshake)
  auto it = req.headers.find("authorization");
  return same_secret(it == req.headers.end() ? std::string{} : it->second, "Bearer " + *want);
}

http::response handle(alert_receiver::impl& r, const http::request& req) {
  if (!authenticated(r, req))
    return {401, {{"Content-Type", "text/plain; charset=utf-8"}, {"WWW-Authenticate", "Bearer"}}, "a valid bearer token is required\n"};
  if (req.method != "POST")
    return plain_text(405, "alerts are POSTed");
  if (!r.limit.take())
    return {429, {{"Content-Type", "text/plain; charset=utf-8"}, {"Retry-After", "1"}}, "too many requests\n"};
  if (auto it = req.headers.find("content-type"); it != req.headers.end() && it->second.rfind("application/json", 0) != 0)
    return plain_text(415, "Content-Type must be application/json, got " + it->second);
  auto alerts = parse_alerts(req.body, now_rfc3339());
  if (!alerts.is_ok())
    return plain_text(400, alerts.error().message());
  r.received += alerts.value().size();
  r.deliver(std::move(alerts.value()));
  return plain_text(202, "accepted");
}

} // namespace

alert_receiver::alert_receiver(std::shared_ptr<impl> p) : impl_(std::move(p)) {}
alert_receiver::~alert_receiver() { stop(); }

model::result<std::unique_ptr<alert_receiver>> alert_receiver::start(receiver_options opts, deliver_fn deliver) {
  auto p = std::make_shared<impl>();
  if (!opts.bearer_token_file.empty()) {
    p->token_file = std::make_unique<token_source>();
    p->token_file->path = opts.bearer_token_file;
    if (auto st = p->token_file->refresh(); !st.is_ok())
      return st;
  }
  if (opts.bearer_token && opts.bearer_token->empty())
    return model::status::invalid("the bearer token is empty");
  bool client_certs = opts.tls && !opts.tls->client_ca_file.empty();
  if (!is_loopback(opts.address) && !opts.bearer_token && !p->token_file && !client_certs)
    return model::status::invalid("listening on " + opts.address
                                  + " reaches beyond loopback: alerts can add and remove brokers, so the receiver needs "
                                    "a bearer token file or TLS client certificates");
  if (!(opts.requests_per_second > 0))
    return model::status::invalid("requests_per_second must be positive");
  p->limit.rate = opts.requests_per_second;
  p->limit.tokens = 2 * opts.requests_per_second;
  p->opts = opts;
  p->deliver = std::move(deliver);
  http::server_options so;
  so.address = opts.address;
  so.port = opts.port;
  so.body_limit = opts.body_limit;
  so.tls = opts.tls;
  std::weak_ptr<impl> weak = p;
  auto server = http::make_server(so, [weak](std::shared_ptr<http::exchange> ex) {
    auto r = weak.lock();
    if (!r)
      return ex->respond(plain_text(503, "stopping"));
    auto resp = handle(*r, ex->req());
    if (resp.status >= 400)
      ++r->refused;
    ex->respond(std::move(resp));
  });
  if (!server.is_ok())
    return server.error();
  p->server = std::move(server.value());
  return std::unique_ptr<alert_receiver>(new alert_receiver(std::move(p)));
}

uint16_t alert_receiver::port() const { return impl_->server->port(); }
uint64_t alert_receiver::alerts_received() const { return impl_->received; }
uint64_t alert_receiver::requests_refused() const { return impl_->refused; }

void alert_receiver::stop() {
  if (impl_->server)
    impl_->server->stop();
}

} // namespace kactor::integrations::alertmanager
