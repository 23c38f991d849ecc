#include "integrations/http/client.hpp"

#include <utility> // before Asio under C++20 (std::exchange)

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace kactor::integrations::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

class beast_client final : public blocking_client {
public:
  explicit beast_client(client_options opts) : opts_(std::move(opts)), ssl_ctx_(ssl::context::tls_client) {
    if (!opts_.ca_file.empty()) {
      ssl_ctx_.load_verify_file(opts_.ca_file);
      ssl_ctx_.set_verify_mode(ssl::verify_peer);
    } else {
      ssl_ctx_.set_verify_mode(ssl::verify_none);
    }
  }

  model::result<response> send(const std::string& method, const std::string& target, const std::string& body,
                               const header_map& headers) override {
    try {
      connect();
      auto req = make_request(method, target, body, headers);
      bhttp::response<bhttp::string_body> res;
      if (tls_)
        exchange(*tls_, req, res);
      else
        exchange(*plain_, req, res);
      response out{static_cast<int>(res.result_int()), {}, std::move(res.body())};
      for (const auto& f : res)
        out.headers.emplace_back(std::string{f.name_string()}, std::string{f.value()});
      if (!res.keep_alive())
        close();
      return out;
    } catch (const std::exception& e) {
      close();
      return model::status::invalid(method + " " + target + ": " + e.what());
    }
  }

  model::result<int> stream_lines(const std::string& target, const std::function<bool(const std::string&)>& on_line,
                                  std::chrono::milliseconds timeout, const header_map& headers) override {
    try {
      connect();
      auto req = make_request("GET", target, "", headers);
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(boost::none);
      std::string pending;
      bool stop = false;
      // Beast keeps a reference to this callback: it must outlive the parser's use below.
      auto on_chunk = [&](std::uint64_t, beast::string_view data, beast::error_code&) -> std::size_t {
        pending.append(data.data(), data.size());
        for (auto nl = pending.find('\n'); nl != std::string::npos && !stop; nl = pending.find('\n')) {
          stop = !on_line(pending.substr(0, nl));
          pending.erase(0, nl + 1);
        }
        return data.size();
      };
      parser.on_chunk_body(on_chunk);
      int status = tls_ ? read_stream(*tls_, req, parser, stop, timeout) : read_stream(*plain_, req, parser, stop, timeout);
      close(); // a stream is not reusable after we stop reading it
      return status;
    } catch (const std::exception& e) {
      close();
      return model::status::invalid("GET " + target + ": " + e.what());
    }
  }

private:
  bhttp::request<bhttp::string_body> make_request(const std::string& method, const std::string& target,
                                                  const std::string& body, const header_map& headers) {
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, opts_.host);
    req.keep_alive(true);
    for (const auto& [k, v] : headers)
      req.set(k, v);
    if (!body.empty() && req.find(bhttp::field::content_type) == req.end())
      req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    return req;
  }

  template <class Stream>
  void exchange(Stream& s, bhttp::request<bhttp::string_body>& req, bhttp::response<bhttp::string_body>& res) {
    beast::get_lowest_layer(s).expires_after(opts_.timeout);
    bhttp::write(s, req);
    bhttp::read(s, buffer_, res);
  }

  template <class Stream>
  int read_stream(Stream& s, bhttp::request<bhttp::string_body>& req, bhttp::response_parser<bhttp::string_body>& p,
                  bool& stop, std::chrono::milliseconds timeout) {
    beast::get_lowest_layer(s).expires_after(opts_.timeout);
    bhttp::write(s, req);
    beast::get_lowest_layer(s).expires_after(timeout);
    bhttp::read_header(s, buffer_, p);
    beast::error_code ec;
    while (!stop && !p.is_done()) {
      bhttp::read_some(s, buffer_, p, ec);
      if (ec == bhttp::error::end_of_chunk)
        continue;
      if (ec)
        break; // timeout or closed: the caller asked for lines until then
    }
    return static_cast<int>(p.get().result_int());
  }

  void connect() {
    if (plain_ || tls_)
      return;
    tcp::resolver resolver{ioc_};
    auto endpoints = resolver.resolve(opts_.host, std::to_string(opts_.port));
    if (opts_.tls) {
      tls_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc_, ssl_ctx_);
      SSL_set_tlsext_host_name(tls_->native_handle(), opts_.host.c_str());
      beast::get_lowest_layer(*tls_).expires_after(opts_.timeout);
      beast::get_lowest_layer(*tls_).connect(endpoints);
      tls_->handshake(ssl::stream_base::client);
    } else {
      plain_ = std::make_unique<beast::tcp_stream>(ioc_);
      plain_->expires_after(opts_.timeout);
      plain_->connect(endpoints);
    }
  }

  void close() {
    beast::error_code ec;
    if (plain_)
      plain_->socket().shutdown(tcp::socket::shutdown_both, ec);
    if (tls_)
      beast::get_lowest_layer(*tls_).socket().shutdown(tcp::socket::shutdown_both, ec);
    plain_.reset();
    tls_.reset();
    buffer_.clear();
  }

  client_options opts_;
  net::io_context ioc_;
  ssl::context ssl_ctx_;
  std::unique_ptr<beast::tcp_stream> plain_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
};

} // namespace

std::unique_ptr<blocking_client> make_blocking_client(client_options opts) {
  return std::make_unique<beast_client>(std::move(opts));
}

} // namespace kactor::integrations::http
