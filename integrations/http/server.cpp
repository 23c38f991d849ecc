// The Beast/Asio side of integrations/http/server.hpp; the only kactor TU that includes Beast.
//
// Shape (after Beast's async server examples): one listener accepts on an io_context run by N threads; each
// connection is a session<Stream> on its own strand, Stream being beast::tcp_stream or
// beast::ssl_stream<beast::tcp_stream>, with one named member per async step and one fail path.
// The handles a handler gets (detail/exchange_impl.hpp) hold their session weakly: while a handler works the
// server's session table owns the connection, and stop() frees everything whatever handlers keep. While a
// stream is open the session keeps a read pending (the probe) to notice the peer leaving; what it reads is
// kept for the next request.
#include "integrations/http/server.hpp"

#include <utility> // before Asio: Boost 1.74 needs std::exchange under C++20

#include "integrations/http/detail/server_session.hpp"

namespace kactor::integrations::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http; // `http` is this namespace
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using detail::connection;
using detail::exchange_impl;
using detail::header_list;
using detail::shared_state;
using detail::stream_impl;
using detail::to_status;
using detail::session;
using detail::accept_backoff;
using detail::linger;
using detail::endpoint_text;

/// Accepts connections and owns everything the I/O threads touch.
class server_impl final : public server {
public:
  server_impl(server_options opts, handler h)
      : ioc_(std::max(1, opts.threads)), work_(ioc_.get_executor()), acceptor_(ioc_), backoff_(ioc_) {
    st_.opts = std::move(opts);
    st_.on_request = std::move(h);
  }
  ~server_impl() override { stop(); }

  model::status start() {
    beast::error_code ec;
    if (const auto& files = st_.opts.tls) {
      tls_.emplace(ssl::context::tls_server);
      tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3
                        | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
      tls_->use_certificate_chain_file(files->cert_file, ec);
      if (!ec) // also checks that the key matches the certificate
        tls_->use_private_key_file(files->key_file, ssl::context::pem, ec);
      if (ec)
        return model::status::invalid("TLS files " + files->cert_file + ", " + files->key_file + ": " + ec.message());
      if (!files->client_ca_file.empty()) {
        tls_->load_verify_file(files->client_ca_file, ec);
        if (ec)
          return model::status::invalid("TLS client CA " + files->client_ca_file + ": " + ec.message());
        tls_->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
      }
    }
    auto address = net::ip::make_address(st_.opts.address, ec);
    if (ec)
      return model::status::invalid("listen address '" + st_.opts.address + "': " + ec.message());
    tcp::endpoint ep{address, st_.opts.port};
    acceptor_.open(ep.protocol(), ec);
    if (!ec)
      acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec)
      acceptor_.bind(ep, ec);
    if (!ec)
      acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return model::status::invalid("cannot listen on " + endpoint_text(ep) + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    do_accept();
    for (int i = 0; i < std::max(1, st_.opts.threads); ++i)
      threads_.emplace_back([this] { run_io(); });
    return model::status::ok();
  }

  uint16_t port() const override { return port_; }
  server_stats stats() const override { return {st_.open_count(), st_.refused.load(), st_.timed_out.load()}; }

  // Must not run on an I/O thread (from a handler): it joins them.
  void stop() override {
    std::lock_guard lock{stop_mu_};
    if (std::exchange(stopped_, true))
      return;
    st_.close_doors(); // from here on no user thread posts to a session
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_)
      t.join();
    // No I/O thread runs: sockets can be closed from here. Handlers still queued die with ioc_.
    beast::error_code ec;
    acceptor_.close(ec);
    backoff_.cancel();
    auto sessions = st_.take_all();
    for (auto& entry : sessions)
      entry.second->abort();
  }

private:
  void run_io() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (...) {
        // nop: a throwing completion must not take an I/O thread down
      }
    }
  }
  void do_accept() {
    acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&server_impl::on_accept, this));
  }
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted)
      return;
    if (ec) { // e.g. out of file descriptors: retry soon instead of spinning
      backoff_.expires_after(accept_backoff);
      return backoff_.async_wait([this](beast::error_code e) {
        if (!e)
          do_accept();
      });
    }
    if (st_.open_count() >= st_.opts.max_connections) {
      // Closed before any read or handshake: a flood costs an accept and a close per connection, and
      // those already served keep their slots. Only this loop adds sessions, so the count cannot race up.
      socket.close(ec);
      ++st_.refused;
      return do_accept();
    }
    auto remote = socket.remote_endpoint(ec);
    auto peer = ec ? std::string{"unknown"} : endpoint_text(remote);
    if (tls_)
      start_session(
          std::make_shared<session<beast::ssl_stream<beast::tcp_stream>>>(st_, peer, std::move(socket), *tls_));
    else
      start_session(std::make_shared<session<beast::tcp_stream>>(st_, peer, std::move(socket)));
    do_accept();
  }
  template <class Session>
  void start_session(std::shared_ptr<Session> s) {
    st_.add(s); // before run(): its fail() may run on another thread at once
    s->run();
  }

  // Destroyed bottom-up: sessions still queued in ioc_ die before the TLS context and shared state they use.
  shared_state st_;
  std::optional<ssl::context> tls_;
  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  net::steady_timer backoff_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::mutex stop_mu_;
  bool stopped_ = false;
};

} // namespace

model::result<std::unique_ptr<server>> make_server(server_options opts, handler h) {
  auto s = std::make_unique<server_impl>(std::move(opts), std::move(h));
  if (auto started = s->start(); !started)
    return started;
  return std::unique_ptr<server>{std::move(s)};
}

} // namespace kactor::integrations::http
