#include "integrations/http/async_client.hpp"

#include <utility> // before Asio under C++20 (std::exchange)

#include <atomic>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "integrations/http/detail/client_handle.hpp"
#include "integrations/http/detail/connection_pool.hpp"
#include "integrations/http/detail/stream_reader.hpp"
#include "integrations/http/detail/tls_peer.hpp"

namespace kactor::integrations::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using error_code = beast::error_code;

// A response body above this is refused: a list of every object in a huge cluster should be paginated.
constexpr uint64_t k_body_limit = 64ull * 1024 * 1024;
using detail::k_line_limit;

bool is_ip_address(const std::string& host) {
  error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

/// One connection, plain or TLS, with its read buffer.
struct client_connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  template <class F>
  void with_stream(F&& f) {
    if (tls)
      f(*tls);
    else
      f(*plain);
  }
  void close() {
    error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().socket().close(ec);
  }
};

std::string describe(const error_code& ec) {
  if (ec == beast::error::timeout)
    return "timed out";
  return ec.message();
}

class client_impl;

/// Opens a connection: resolve, connect, TLS handshake. Calls `done` once.
void open_connection(const std::shared_ptr<client_impl>& client, std::chrono::milliseconds timeout,
                     std::function<void(model::status, std::shared_ptr<client_connection>)> done);

class client_impl final : public async_client, public std::enable_shared_from_this<client_impl> {
public:
  explicit client_impl(client_endpoint ep)
      : endpoint_(std::move(ep)), ssl_ctx_(ssl::context::tls_client), admission_(endpoint_.max_in_flight) {}

  model::status init() {
    if (endpoint_.tls.enabled) {
      error_code ec;
      ssl_ctx_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
      if (endpoint_.tls.insecure_skip_verify) {
        ssl_ctx_.set_verify_mode(ssl::verify_none);
      } else {
        ssl_ctx_.set_verify_mode(ssl::verify_peer);
        if (endpoint_.tls.ca_pem.empty())
          ssl_ctx_.set_default_verify_paths(ec);
        else
          ssl_ctx_.add_certificate_authority(net::buffer(endpoint_.tls.ca_pem), ec);
        if (ec)
          return model::status::invalid("TLS: certificate authority does not load: " + ec.message());
      }
      if (!endpoint_.tls.client_cert_pem.empty() || !endpoint_.tls.client_key_pem.empty()) {
        ssl_ctx_.use_certificate_chain(net::buffer(endpoint_.tls.client_cert_pem), ec);
        if (ec)
          return model::status::invalid("TLS: client certificate does not load: " + ec.message());
        ssl_ctx_.use_private_key(net::buffer(endpoint_.tls.client_key_pem), ssl::context::pem, ec);
        if (ec)
          return model::status::invalid("TLS: client key does not load: " + ec.message());
      }
    }
    guard_.emplace(net::make_work_guard(ioc_));
    thread_ = std::thread([self = shared_from_this()] { self->ioc_.run(); });
    return {};
  }

  // The I/O thread holds a reference until its run() returns, so the last one may be dropped on it.
  ~client_impl() override {
    if (thread_.joinable() && std::this_thread::get_id() == thread_.get_id())
      thread_.detach();
    else if (thread_.joinable())
      thread_.join();
  }

  void send(outgoing_request req, response_callback done) override;
  std::shared_ptr<stream_handle> stream(outgoing_request req, stream_callbacks cbs) override;

  void schedule(std::chrono::milliseconds delay, std::function<void()> fn) override {
    if (stopping_)
      return;
    auto timer = std::make_shared<net::steady_timer>(ioc_, delay);
    net::post(ioc_, [self = shared_from_this(), timer, fn = std::move(fn)]() mutable {
      if (self->stopping_)
        return;
      auto it = self->timers_.insert(self->timers_.end(), timer);
      timer->async_wait([self, it, fn = std::move(fn)](const error_code& ec) {
        self->timers_.erase(it);
        if (!ec && !self->stopping_)
          fn();
      });
    });
  }

  size_t idle_connections() const override { return pool_.idle_connections(); }
  uint64_t connections_opened() const override { return pool_.connections_opened(); }

  void stop() override {
    std::lock_guard lock(stop_mutex_);
    if (stopping_.exchange(true))
      return;
    net::post(ioc_, [this] {
      for (auto& t : timers_)
        t->cancel();
      pool_.close_all();
      // Waiting requests answer "client stopped" now, one after the other (not through nested releases).
      admission_.start_all_waiting();
    });
    guard_.reset();
    if (thread_.joinable() && std::this_thread::get_id() != thread_.get_id())
      thread_.join();
  }

  // --- used by the operations, on the I/O thread ---
  net::io_context& ioc() { return ioc_; }
  ssl::context& ssl_ctx() { return ssl_ctx_; }
  const client_endpoint& endpoint() const { return endpoint_; }
  bool stopping() const { return stopping_; }
  void count_open() { pool_.count_open(); }

  // The connection pool and the admission of requests (detail/connection_pool.hpp).
  std::shared_ptr<client_connection> take_idle() { return pool_.take_idle(); }
  void give_back(std::shared_ptr<client_connection> c) { pool_.give_back(std::move(c), stopping_); }
  void admit(std::function<void()> start, bool background) { admission_.admit(std::move(start), background); }
  void release() { admission_.release(); }
  void track(const std::shared_ptr<client_connection>& c) { pool_.track(c); }

private:
  client_endpoint endpoint_;
  net::io_context ioc_;
  ssl::context ssl_ctx_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard_;
  std::thread thread_;
  std::mutex stop_mutex_;
  std::atomic<bool> stopping_{false};
  detail::connection_pool<client_connection> pool_;  ///< I/O thread, but for its counters
  detail::admission_queue admission_;         ///< I/O thread
  std::list<std::shared_ptr<net::steady_timer>> timers_;
};

bhttp::request<bhttp::string_body> to_beast(const outgoing_request& in, const client_endpoint& ep) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(in.method);
  req.target(in.target);
  req.version(11);
  req.set(bhttp::field::host, ep.host + ":" + std::to_string(ep.port));
  req.set(bhttp::field::user_agent, "kactor");
  req.keep_alive(true);
  for (const auto& [k, v] : in.headers)
    req.set(k, v);
  if (!in.body.empty() && req.find(bhttp::field::content_type) == req.end())
    req.set(bhttp::field::content_type, "application/json");
  req.body() = in.body;
  req.prepare_payload();
  return req;
}

void open_connection(const std::shared_ptr<client_impl>& client, std::chrono::milliseconds timeout,
                     std::function<void(model::status, std::shared_ptr<client_connection>)> done) {
  const auto& ep = client->endpoint();
  auto where = ep.host + ":" + std::to_string(ep.port);
  auto resolver = std::make_shared<tcp::resolver>(client->ioc());
  resolver->async_resolve(ep.host, std::to_string(ep.port), [client, timeout, done, where, resolver](
                                                                  const error_code& ec, tcp::resolver::results_type results) {
    if (client->stopping())
      return done(model::status::invalid("client stopped"), nullptr);
    if (ec)
      return done(model::status::invalid("resolve " + where + ": " + describe(ec)), nullptr);
    auto conn = std::make_shared<client_connection>();
    const auto& ep = client->endpoint();
    if (ep.tls.enabled) {
      conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(client->ioc(), client->ssl_ctx());
      auto name = ep.tls.server_name.empty() ? ep.host : ep.tls.server_name;
      detail::set_peer_name(conn->tls->native_handle(), name, is_ip_address(name), !ep.tls.insecure_skip_verify);
    } else {
      conn->plain = std::make_unique<beast::tcp_stream>(client->ioc());
    }
    client->track(conn);
    client->count_open();
    conn->lowest().expires_after(timeout);
    conn->lowest().async_connect(results, [client, conn, timeout, done, where](const error_code& ec, const tcp::endpoint&) {
      if (ec)
        return done(model::status::invalid("connect " + where + ": " + describe(ec)), nullptr);
      if (!conn->tls)
        return done({}, conn);
      conn->lowest().expires_after(timeout);
      conn->tls->async_handshake(ssl::stream_base::client, [conn, done, where](const error_code& ec) {
        if (!ec)
          return done({}, conn);
        auto why = detail::handshake_failure(conn->tls->native_handle(), describe(ec));
        done(model::status::invalid("TLS handshake with " + where + ": " + why), nullptr);
      });
    });
  });
}

/// One request/response exchange.
class request_op : public std::enable_shared_from_this<request_op> {
public:
  request_op(std::shared_ptr<client_impl> client, outgoing_request in, response_callback done)
      : client_(std::move(client)), in_(std::move(in)), done_(std::move(done)), req_(to_beast(in_, client_->endpoint())) {}

  /// Starts as one of the client's requests in flight (client_impl::admit): finishing releases the slot.
  void start_admitted() {
    admitted_ = true;
    start();
  }

  void start() {
    if (client_->stopping())
      return finish(model::status::invalid(what() + ": client stopped"));
    conn_ = client_->take_idle();
    reused_ = conn_ != nullptr;
    if (conn_)
      return write();
    open_connection(client_, in_.timeout, [self = shared_from_this()](model::status st, std::shared_ptr<client_connection> c) {
      if (!st.is_ok())
        return self->finish(model::status::invalid(self->what() + ": " + st.message()));
      self->conn_ = std::move(c);
      self->write();
    });
  }

private:
  std::string what() const { return in_.method + " " + in_.target; }

  void write() {
    client_->track(conn_);
    conn_->lowest().expires_after(in_.timeout);
    conn_->with_stream([&](auto& s) {
      bhttp::async_write(s, req_, [self = shared_from_this()](const error_code& ec, size_t) {
        if (ec)
          return self->failed(ec, false);
        self->read();
      });
    });
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(k_body_limit);
    // Beast 1.74 enforces body_limit on chunked bodies only: a Content-Length above it is checked here,
    // after the header and before the body is read.
    conn_->with_stream([&](auto& s) {
      bhttp::async_read_header(s, conn_->buffer, *parser_, [self = shared_from_this()](const error_code& ec, size_t) {
        if (ec)
          return self->failed(ec, self->parser_->got_some());
        if (auto len = self->parser_->content_length(); len && *len > k_body_limit)
          return self->failed(bhttp::error::body_limit, true);
        self->read_body();
      });
    });
  }

  void read_body() {
    conn_->with_stream([&](auto& s) {
      bhttp::async_read(s, conn_->buffer, *parser_, [self = shared_from_this()](const error_code& ec, size_t) {
        if (ec)
          return self->failed(ec, true);
        self->deliver();
      });
    });
  }

  void failed(const error_code& ec, bool got_some) {
    conn_->close();
    conn_.reset();
    // A kept-alive connection the server closed while idle fails at once: retry once on a new one.
    if (reused_ && !got_some && ec != beast::error::timeout && !client_->stopping()) {
      reused_ = false;
      return open_connection(client_, in_.timeout, [self = shared_from_this()](model::status st, std::shared_ptr<client_connection> c) {
        if (!st.is_ok())
          return self->finish(model::status::invalid(self->what() + ": " + st.message()));
        self->conn_ = std::move(c);
        self->write();
      });
    }
    std::string why = describe(ec);
    if (ec == bhttp::error::body_limit)
      why = "response body exceeds " + std::to_string(k_body_limit) + " bytes";
    if (ec == beast::error::timeout)
      why = "timed out after " + std::to_string(in_.timeout.count()) + " ms";
    finish(model::status::invalid(what() + ": " + why));
  }

  void deliver() {
    auto& res = parser_->get();
    response out{static_cast<int>(res.result_int()), {}, std::move(res.body())};
    for (const auto& f : res)
      out.headers.emplace_back(std::string{f.name_string()}, std::string{f.value()});
    if (res.keep_alive())
      client_->give_back(std::move(conn_));
    else
      conn_->close();
    conn_.reset();
    finish(std::move(out));
  }

  void finish(model::result<response> r) {
    auto done = std::move(done_);
    if (done)
      done(std::move(r));
    if (admitted_) {
      admitted_ = false;
      client_->release();
    }
  }

  std::shared_ptr<client_impl> client_;
  outgoing_request in_;
  response_callback done_;
  bhttp::request<bhttp::string_body> req_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  std::shared_ptr<client_connection> conn_;
  bool reused_ = false;
  bool admitted_ = false; ///< holds one of the client's in-flight slots
};

/// One streamed GET: lines of the body handed out as they arrive. Never reuses or returns connections.
class stream_op final : public stream_handle, public std::enable_shared_from_this<stream_op> {
public:
  stream_op(std::shared_ptr<client_impl> client, outgoing_request in, stream_callbacks cbs)
      : client_(std::move(client)), in_(std::move(in)), reader_(std::move(cbs)), req_(to_beast(in_, client_->endpoint())) {}

  void start() {
    if (client_->stopping())
      return end(model::status::invalid(what() + ": client stopped"));
    open_connection(client_, in_.timeout, [self = shared_from_this()](model::status st, std::shared_ptr<client_connection> c) {
      if (!st.is_ok())
        return self->end(model::status::invalid(self->what() + ": " + st.message()));
      if (self->reader_.cancelled()) {
        c->close();
        return;
      }
      self->conn_ = std::move(c);
      self->write();
    });
  }

  void cancel() override {
    reader_.cancel(); // waits for a callback running on another thread
    net::post(client_->ioc(), [self = shared_from_this()] {
      if (self->conn_)
        self->conn_->close();
    });
  }

private:
  std::string what() const { return in_.method + " " + in_.target; }

  void write() {
    conn_->lowest().expires_after(in_.timeout);
    conn_->with_stream([&](auto& s) {
      bhttp::async_write(s, req_, [self = shared_from_this()](const error_code& ec, size_t) {
        if (ec)
          return self->end(model::status::invalid(self->what() + ": " + describe(ec)));
        self->read_more();
      });
    });
  }

  void read_more() {
    parser_.get().body().data = buf_;
    parser_.get().body().size = sizeof buf_;
    conn_->lowest().expires_after(in_.timeout);
    conn_->with_stream([&](auto& s) {
      bhttp::async_read_some(s, conn_->buffer, parser_, [self = shared_from_this()](error_code ec, size_t) {
        self->on_read(ec);
      });
    });
  }

  void on_read(error_code ec) {
    if (ec == bhttp::error::need_buffer)
      ec = {};
    if (ec) {
      std::string why = ec == beast::error::timeout ? "no data for " + std::to_string(in_.timeout.count()) + " ms" : describe(ec);
      if (ec == net::error::operation_aborted || ec == net::error::bad_descriptor)
        why = "cancelled";
      return end(model::status::invalid(what() + ": stream ended: " + why));
    }
    if (parser_.is_header_done() && !headers_seen_) {
      headers_seen_ = true;
      if (!reader_.headers(static_cast<int>(parser_.get().result_int())))
        return;
    }
    size_t got = sizeof buf_ - parser_.get().body().size;
    switch (reader_.feed(buf_, got)) {
    case detail::stream_reader::fed::stopped: // by on_line: no on_end follows
      conn_->close();
      return;
    case detail::stream_reader::fed::too_long:
      return end(model::status::invalid(what() + ": stream line exceeds " + std::to_string(k_line_limit) + " bytes"));
    case detail::stream_reader::fed::more:
      break;
    }
    if (parser_.is_done()) {
      conn_->close();
      return end(reader_.status() == 200 ? model::status{}
                                         : model::status::invalid(what() + ": HTTP " + std::to_string(reader_.status())));
    }
    read_more();
  }

  /// Closes the connection; on_end follows unless the reader stopped the stream.
  void end(model::status why) {
    if (conn_)
      conn_->close();
    reader_.end(std::move(why));
  }

  std::shared_ptr<client_impl> client_;
  outgoing_request in_;
  detail::stream_reader reader_; ///< callbacks, lines, cancellation
  bhttp::request<bhttp::string_body> req_;
  bhttp::response_parser<bhttp::buffer_body> parser_;
  std::shared_ptr<client_connection> conn_;
  char buf_[16384];
  bool headers_seen_ = false;
};

void client_impl::send(outgoing_request req, response_callback done) {
  bool background = req.background;
  auto op = std::make_shared<request_op>(shared_from_this(), std::move(req), std::move(done));
  if (stopping_)
    return op->start(); // answers "client stopped" at once
  net::post(ioc_, [op, background, self = shared_from_this()] {
    self->admit([op] { op->start_admitted(); }, background);
  });
}

std::shared_ptr<stream_handle> client_impl::stream(outgoing_request req, stream_callbacks cbs) {
  auto op = std::make_shared<stream_op>(shared_from_this(), std::move(req), std::move(cbs));
  if (stopping_)
    op->start(); // ends "client stopped" at once
  else
    net::post(ioc_, [op] { op->start(); });
  return op;
}

} // namespace

model::result<std::shared_ptr<async_client>> make_async_client(client_endpoint endpoint) {
  auto impl = std::make_shared<client_impl>(std::move(endpoint));
  if (auto st = impl->init(); !st.is_ok())
    return st;
  return detail::make_client_handle(std::move(impl));
}

} // namespace kactor::integrations::http
