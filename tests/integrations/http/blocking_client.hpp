// A blocking HTTP/1.1 test client over POSIX sockets (OpenSSL for TLS) for the server tests: it sends exact
// bytes (garbage, pipelined requests, a header a byte at a time), reads responses piecewise, parses chunked
// framing strictly, and gives up on every read after 5 s (throwing, which fails the test) so that no test
// can hang. Header-only: one small helper shared by the server test files.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kactor::test {

struct reply {
  int status = 0;
  std::map<std::string, std::string> headers; ///< lowercase names
  std::string body;
  std::vector<std::string> chunks; ///< when chunked
};

/// One blocking client connection; reads and writes time out after 5 s (throwing, which fails the test).
class client {
public:
  explicit client(uint16_t port, SSL_CTX* tls = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      fail("connect failed");
    if (tls) {
      ssl_ = SSL_new(tls);
      SSL_set_fd(ssl_, fd_);
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
      if (SSL_connect(ssl_) != 1)
        fail("TLS handshake failed");
    }
  }
  ~client() {
    if (ssl_)
      SSL_free(ssl_);
    ::close(fd_);
  }
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  void send(std::string_view data) {
    while (!data.empty()) {
      auto n = ssl_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                    : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0)
        throw std::runtime_error("send failed");
      data.remove_prefix(static_cast<size_t>(n));
    }
  }
  /// Status line and headers; nullopt when the server closed the connection first.
  std::optional<reply> read_head() {
    auto status_line = line();
    if (!status_line)
      return std::nullopt;
    reply r;
    r.status = std::stoi(status_line->substr(9, 3));
    for (auto l = line(); l && !l->empty(); l = line()) {
      auto colon = l->find(':');
      auto name = l->substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      r.headers[name] = l->substr(l->find_first_not_of(' ', colon + 1));
    }
    return r;
  }
  /// One chunk of a chunked body; nullopt for the last one (after its trailer).
  std::optional<std::string> read_chunk() {
    auto size_line = line();
    if (!size_line)
      throw std::runtime_error("closed inside a chunked body");
    auto size = std::stoul(*size_line, nullptr, 16);
    if (size == 0) {
      while (auto l = line())
        if (l->empty())
          break;
      return std::nullopt;
    }
    auto data = take(size);
    if (take(2) != "\r\n")
      throw std::runtime_error("chunk not followed by CRLF");
    return data;
  }
  /// A whole response: Content-Length, chunked, or (HTTP/1.0 style) up to EOF.
  std::optional<reply> read_reply(bool head_request = false) {
    auto r = read_head();
    if (!r || r->status < 200 || head_request || r->status == 204 || r->status == 304)
      return r;
    if (auto te = r->headers.find("transfer-encoding"); te != r->headers.end() && te->second == "chunked") {
      while (auto c = read_chunk()) {
        r->body += *c;
        r->chunks.push_back(*c);
      }
    } else if (r->headers.count("content-length")) {
      r->body = take(std::stoul(r->headers["content-length"]));
    } else {
      while (fill())
        ;
      r->body = std::exchange(buf_, {});
    }
    return r;
  }
  /// True when the server closes (or resets) the connection within 5 s; data before that is skipped.
  bool closed() {
    try {
      while (fill())
        buf_.clear();
      return true;
    } catch (const std::runtime_error&) {
      return false;
    }
  }

  /// True when the server has closed or reset the connection, without waiting (a slowloris client checks
  /// between its bytes).
  bool peer_gone() {
    char c;
    errno = 0;
    auto n = ::recv(fd_, &c, 1, MSG_DONTWAIT | MSG_PEEK);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }
  /// Sends without throwing; false when the peer has gone (reset, broken pipe).
  bool try_send(std::string_view data) {
    try {
      send(data);
      return true;
    } catch (const std::runtime_error&) {
      return false;
    }
  }

private:
  /// Throws from the constructor, where the destructor will not run.
  [[noreturn]] void fail(const char* what) {
    if (ssl_)
      SSL_free(ssl_);
    ::close(fd_);
    throw std::runtime_error(what);
  }
  bool fill() {
    char tmp[4096];
    errno = 0;
    auto n = ssl_ ? SSL_read(ssl_, tmp, sizeof tmp) : ::recv(fd_, tmp, sizeof tmp, 0);
    if (n > 0) {
      buf_.append(tmp, static_cast<size_t>(n));
      return true;
    }
    if (errno == EAGAIN && (!ssl_ || SSL_get_error(ssl_, static_cast<int>(n)) == SSL_ERROR_SYSCALL))
      throw std::runtime_error("read timed out");
    return false; // EOF, reset, TLS close
  }
  std::optional<std::string> line() {
    for (;;) {
      if (auto pos = buf_.find("\r\n"); pos != std::string::npos) {
        auto l = buf_.substr(0, pos);
        buf_.erase(0, pos + 2);
        return l;
      }
      if (!fill())
        return std::nullopt;
    }
  }
  std::string take(size_t n) {
    while (buf_.size() < n) {
      if (!fill())
        throw std::runtime_error("closed inside a body");
    }
    auto data = buf_.substr(0, n);
    buf_.erase(0, n);
    return data;
  }

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buf_;
};

inline std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

} // namespace kactor::test
