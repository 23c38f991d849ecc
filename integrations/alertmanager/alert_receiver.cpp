#include "integrations/alertmanager/alert_receiver.hpp"

#include <atomic>
#include <chrono>

#include "model/time.hpp"

namespace kactor::integrations::alertmanager {

struct alert_receiver::impl {
  receiver_options opts;
  deliver_fn deliver;
  std::unique_ptr<http::server> server;
  std::atomic<uint64_t> received{0}, refused{0};
};

namespace {

/// Integrations read their own clock (they may not include actors/); the format is model's.
std::string now_rfc3339() { return model::format_rfc3339(std::chrono::system_clock::now()); }

http::response text(int status, std::string body) {
  return {status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body) + "\n"};
}

http::response handle(alert_receiver::impl& r, const http::request& req) {
  if (req.method != "POST")
    return text(405, "alerts are POSTed");
  if (r.opts.bearer_token) {
    auto it = req.headers.find("authorization");
    if (it == req.headers.end() || it->second != "Bearer " + *r.opts.bearer_token)
      return text(401, "a bearer token is required");
  }
  if (auto it = req.headers.find("content-type"); it != req.headers.end() && it->second.rfind("application/json", 0) != 0)
    return text(415, "Content-Type must be application/json, got " + it->second);
  auto alerts = parse_alerts(req.body, now_rfc3339());
  if (!alerts.is_ok())
    return text(400, alerts.error().message());
  r.received += alerts.value().size();
  r.deliver(std::move(alerts.value()));
  return text(202, "accepted");
}

} // namespace

alert_receiver::alert_receiver(std::shared_ptr<impl> p) : impl_(std::move(p)) {}
alert_receiver::~alert_receiver() { stop(); }

model::result<std::unique_ptr<alert_receiver>> alert_receiver::start(receiver_options opts, deliver_fn deliver) {
  auto p = std::make_shared<impl>();
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
      return ex->respond(text(503, "stopping"));
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
