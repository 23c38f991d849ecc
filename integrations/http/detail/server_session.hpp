// One connection of the HTTP server (integrations/http/server.cpp, its only includer): session<Stream>, Stream
// being beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>, with one named member per async step and one
// fail path, every step on the connection's strand. Kept apart from the listener so that each file reads as
// one thing; a header because session is a template.
#pragma once

#include "integrations/http/server.hpp"

#include <utility> // before Asio: Boost 1.74 needs std::exchange under C++20

#include <algorithm>
#include <mutex>
#include <thread>
#include <type_traits>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "integrations/http/detail/chunk_queue.hpp"
#include "integrations/http/detail/exchange_impl.hpp"
#include "integrations/http/detail/message_rules.hpp"
#include "integrations/http/detail/shared_state.hpp"

namespace kactor::integrations::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http; // `http` is the enclosing namespace
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

inline constexpr std::size_t probe_limit = 64 * 1024;  // what a client may send ahead while its stream is open
inline constexpr std::size_t read_chunk = 4096;
inline constexpr auto linger = std::chrono::seconds{2}; // drain time before closing, so a last 4xx is not reset away
inline constexpr auto accept_backoff = std::chrono::milliseconds{50};
inline constexpr std::string_view continue_100 = "HTTP/1.1 100 Continue\r\n\r\n";

inline std::string str(beast::string_view s) {
  return {s.data(), s.size()};
}

inline std::string endpoint_text(const tcp::endpoint& ep) {
  auto a = ep.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

inline request to_request(bhttp::request<bhttp::string_body>& msg, std::string remote) {
  request r{str(msg.method_string()), str(msg.target()), {}, std::move(msg.body()), std::move(remote)};
  for (const auto& f : msg)
    detail::add_header(r.headers, str(f.name_string()), str(f.value())); // lowercased, repeats joined
  return r;
}

/// One HTTP connection over Stream (plain or TLS); every step runs on the connection's strand.
template <class Stream>
class session final : public connection, public std::enable_shared_from_this<session<Stream>> {
public:
  static constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  session(shared_state& st, std::string remote, Args&&... args)
      : st_(st), remote_(std::move(remote)), stream_(std::forward<Args>(args)...) {}

  void run() { net::dispatch(stream_.get_executor(), step(&session::on_run)); }

  void post_respond(response r) override {
    net::post(stream_.get_executor(), [self = self(), r = std::move(r)]() mutable { self->do_respond(std::move(r)); });
  }
  void post_start_stream(int status, header_list headers, std::shared_ptr<stream_impl> st) override {
    net::post(stream_.get_executor(), [self = self(), status, headers = std::move(headers), st = std::move(st)] {
      self->do_start_stream(status, headers, st);
    });
  }
  void post_chunk(const stream_impl* from, std::string chunk) override {
    net::post(stream_.get_executor(),
              [self = self(), from, chunk = std::move(chunk)]() mutable { self->do_queue(from, std::move(chunk)); });
  }
  void post_finish(const stream_impl* from) override {
    net::post(stream_.get_executor(), [self = self(), from] { self->do_finish(from); });
  }
  void abort() override {
    closed_ = true;
    if (open_stream_)
      open_stream_->mark_closed();
    lowest().close();
  }

private:
  std::shared_ptr<session> self() { return this->shared_from_this(); }
  template <class F>
  auto step(F f) {
    return beast::bind_front_handler(f, self());
  }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void on_run() {
    // A TLS handshake dribbled out byte by byte is a slowloris too.
    lowest().expires_after(st_.opts.header_timeout);
    if constexpr (tls)
      stream_.async_handshake(ssl::stream_base::server, step(&session::on_handshake));
    else
      do_read();
  }
  void on_handshake(beast::error_code ec) {
    if (ec == beast::error::timeout)
      ++st_.timed_out; // a stalled handshake counts like a stalled header
    if (ec)
      return fail();
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->header_limit(st_.opts.header_limit);
    parser_->body_limit(st_.opts.body_limit);
    if (buffer_.size() > 0) // a pipelined request has begun already
      return do_read_header();
    // Waiting for a request costs only the slot, for idle_timeout; from its first byte on, the header
    // must be complete within header_timeout however slowly it trickles in.
    lowest().expires_after(st_.opts.idle_timeout);
    stream_.async_read_some(buffer_.prepare(read_chunk), step(&session::on_first_bytes));
  }
  void on_first_bytes(beast::error_code ec, std::size_t n) {
    buffer_.commit(n);
    if (ec)
      return on_read_error(ec);
    do_read_header();
  }
  void do_read_header() {
    lowest().expires_after(st_.opts.header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_, step(&session::on_read_header));
  }
  void on_read_header(beast::error_code ec, std::size_t) {
    if (ec)
      return on_read_error(ec);
    // curl and others wait for this before sending a larger body.
    if (!parser_->is_done() && beast::iequals(parser_->get()[bhttp::field::expect], "100-continue"))
      return net::async_write(stream_, net::buffer(continue_100.data(), continue_100.size()),
                              step(&session::on_continue));
    do_read_body();
  }
  void on_continue(beast::error_code ec, std::size_t) {
    if (ec)
      return fail();
    do_read_body();
  }
  void do_read_body() {
    lowest().expires_after(st_.opts.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, step(&session::on_read));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return on_read_error(ec);
    lowest().expires_never(); // the handler may take its time
    auto& msg = parser_->get();
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == bhttp::verb::head;
    awaiting_ = true;
    auto ex = std::make_shared<exchange_impl>(to_request(msg, remote_), st_.doors, self());
    parser_.reset();
    try {
      st_.on_request(std::move(ex));
    } catch (...) {
      // nop: an exchange the handler did not keep answers 500 as it goes
    }
  }
  /// A request that could not be read: answered 413/431/400 and closed, or closed (EOF, timeout, reset).
  void on_read_error(beast::error_code ec) {
    if (ec == beast::error::timeout)
      ++st_.timed_out;
    if (ec == bhttp::error::body_limit)
      return reject(bhttp::status::payload_too_large);
    if (ec == bhttp::error::header_limit)
      return reject(bhttp::status::request_header_fields_too_large);
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()
        && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
      return reject(bhttp::status::bad_request);
    fail();
  }
  void reject(bhttp::status status) {
    version_ = 11;
    keep_alive_ = head_ = false;
    awaiting_ = true;
    auto reason = bhttp::obsolete_reason(status);
    do_respond({static_cast<int>(status), {{"Content-Type", "text/plain"}}, str(reason) + "\n"});
  }

  /// Copies the handler's headers; framing (Content-Length, Transfer-Encoding, Connection) is ours.
  void copy_headers(const header_list& from, bhttp::response_header<>& to) {
    for (const auto& [name, value] : from) {
      if (beast::iequals(name, "connection"))
        keep_alive_ = keep_alive_ && !beast::iequals(value, "close");
      else if (!beast::iequals(name, "content-length") && !beast::iequals(name, "transfer-encoding"))
        to.insert(name, value);
    }
  }

  void do_respond(response r) {
    if (closed_ || !awaiting_ || open_stream_)
      return;
    res_ = {};
    res_.version(version_);
    res_.result(to_status(r.status));
    copy_headers(r.headers, res_);
    if (res_.result() != bhttp::status::no_content && res_.result() != bhttp::status::not_modified) {
      res_.content_length(r.body.size());
      if (!head_)
        res_.body() = std::move(r.body);
    }
    res_.keep_alive(keep_alive_);
    lowest().expires_after(st_.opts.idle_timeout);
    bhttp::async_write(stream_, res_, step(&session::on_write));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return fail();
    res_ = {};
    after_response();
  }
  /// The answer is out: read the next request, or close as either side asked.
  void after_response() {
    if (closed_)
      return;
    awaiting_ = false;
    if (probing_) { // the probe must finish before anything else reads; on_probe calls back here
      resume_after_probe_ = true;
      return lowest().cancel();
    }
    if (keep_alive_)
      do_read();
    else
      do_close();
  }

  void do_start_stream(int status, const header_list& headers, const std::shared_ptr<stream_impl>& st) {
    if (closed_ || !awaiting_ || open_stream_)
      return st->mark_closed();
    open_stream_ = st;
    hdr_ = {};
    hdr_.version(version_);
    hdr_.result(to_status(status));
    copy_headers(headers, hdr_);
    chunked_ = version_ >= 11; // HTTP/1.0 has no chunks: the body is raw and ends with the connection
    keep_alive_ = keep_alive_ && chunked_;
    hdr_.chunked(chunked_);
    hdr_.keep_alive(keep_alive_);
    lowest().expires_never(); // the idle timeout does not apply to an open stream
    serializer_.emplace(hdr_);
    bhttp::async_write_header(stream_, *serializer_, step(&session::on_stream_header));
  }
  void on_stream_header(beast::error_code ec, std::size_t) {
    if (ec)
      return fail();
    serializer_.reset();
    header_sent_ = true;
    do_probe();
    do_write_next();
  }
  void do_queue(const stream_impl* from, std::string chunk) {
    // An empty chunk would end the body; a HEAD response has none.
    if (from != open_stream_.get() || finishing_ || head_ || chunk.empty())
      return;
    if (!queue_.push(std::move(chunk)))
      return fail(); // over the backlog limit: the client sees a cut-off body, as from any broken watch
    do_write_next();
  }
  void do_finish(const stream_impl* from) {
    if (from == open_stream_.get() && !finishing_) {
      finishing_ = true;
      do_write_next();
    }
  }
  void do_write_next() {
    if (writing_ || !header_sent_ || closed_)
      return;
    if (!queue_.empty()) {
      writing_ = true;
      chunk_ = queue_.pop();
      lowest().expires_after(st_.opts.idle_timeout); // a reader stalled this long is gone (the probe has no timer)
      if (chunked_)
        net::async_write(stream_, bhttp::make_chunk(net::buffer(chunk_)), step(&session::on_chunk));
      else
        net::async_write(stream_, net::buffer(chunk_), step(&session::on_chunk));
    } else if (finishing_) {
      writing_ = true;
      if (chunked_ && !head_)
        net::async_write(stream_, bhttp::make_chunk_last(), step(&session::on_last_chunk));
      else
        net::post(stream_.get_executor(), [self = self()] { self->on_last_chunk({}, 0); });
    }
  }
  void on_chunk(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec == beast::error::timeout)
      ++st_.timed_out;
    if (ec)
      return fail();
    do_write_next();
  }
  void on_last_chunk(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec)
      return fail();
    open_stream_.reset();
    chunk_.clear();
    header_sent_ = finishing_ = false;
    after_response();
  }

  /// While a stream is open, a pending read notices the peer leaving.
  void do_probe() {
    if (buffer_.size() >= probe_limit)
      return;
    probing_ = true;
    lowest().expires_never();
    stream_.async_read_some(buffer_.prepare(read_chunk), step(&session::on_probe));
  }
  void on_probe(beast::error_code ec, std::size_t n) {
    probing_ = false;
    buffer_.commit(n); // a pipelined next request: do_read parses it
    if (std::exchange(resume_after_probe_, false) && (!ec || ec == net::error::operation_aborted))
      return after_response();
    if (ec)
      return fail();
    do_probe();
  }

  /// Ends the connection politely: TLS close_notify, or FIN then a short drain so the peer reads our last answer.
  void do_close() {
    lowest().expires_after(linger);
    if constexpr (tls) {
      stream_.async_shutdown(step(&session::on_shutdown));
    } else {
      beast::error_code ec;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      do_drain();
    }
  }
  void on_shutdown(beast::error_code) { fail(); }
  void do_drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(read_chunk), step(&session::on_drain));
  }
  void on_drain(beast::error_code ec, std::size_t) {
    if (ec)
      return fail();
    do_drain();
  }

  /// The one way out: closes the socket, ends an open stream, and lets the server forget the session.
  void fail() {
    if (closed_)
      return;
    abort();
    st_.forget(this);
  }

  shared_state& st_;
  std::string remote_;
  Stream stream_;
  beast::flat_buffer buffer_; // bytes read past one request belong to the next: kept across requests and probes
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_; // a parser reads one message
  bhttp::response<bhttp::string_body> res_;                         // lives until its write completes
  bhttp::response<bhttp::empty_body> hdr_;                          // an open stream's status line and headers
  std::optional<bhttp::response_serializer<bhttp::empty_body>> serializer_;
  std::shared_ptr<stream_impl> open_stream_;
  detail::chunk_queue queue_; // chunks waiting, in order, and their bytes
  std::string chunk_;         // the chunk being written
  unsigned version_ = 11;
  bool keep_alive_ = true, head_ = false, chunked_ = true;
  bool awaiting_ = false;    // a request is with the handler and not yet fully answered
  bool header_sent_ = false; // of the open stream
  bool finishing_ = false, writing_ = false, probing_ = false, resume_after_probe_ = false, closed_ = false;
};

} // namespace kactor::integrations::http::detail
