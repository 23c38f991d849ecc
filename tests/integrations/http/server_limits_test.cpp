// integrations/http/server against hostile clients on 127.0.0.1 (port 0): a slowloris is cut after
// header_timeout while a normal client is served; a flood of connections past max_connections is refused
// and counted, and the server serves normally after; oversized headers get 431 and oversized bodies 413.
// Timeouts and limits are set small through server_options so that each test takes about a second.
#include "integrations/http/server.hpp"

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "blocking_client.hpp"

namespace http = kactor::integrations::http;
using kactor::test::client;
using kactor::test::get;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

std::unique_ptr<http::server> start(http::server_options opts) {
  auto s = http::make_server(std::move(opts), [](std::shared_ptr<http::exchange> ex) {
    ex->respond({200, {{"Content-Type", "text/plain"}}, "ok " + ex->req().target});
  });
  if (!s)
    throw std::runtime_error(s.error().to_string());
  return std::move(*s);
}

/// Polls `done` every 10 ms for up to `limit`.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit = 5s) {
  for (auto t0 = clock_type::now(); clock_type::now() - t0 < limit; std::this_thread::sleep_for(10ms))
    if (done())
      return true;
  return done();
}

void expect_served(uint16_t port, const std::string& target) {
  client c{port};
  c.send(get(target));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok " + target);
}

TEST(http_server_limits, a_slowloris_is_cut_after_the_header_timeout_while_others_are_served) {
  http::server_options opts;
  opts.header_timeout = 300ms;
  opts.idle_timeout = 5s; // longer than the test: only the header timeout may cut the slow client
  auto s = start(opts);
  client slow{s->port()};
  slow.send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  auto t0 = clock_type::now();
  bool cut = false;
  // One header byte every 50 ms: each one would reset a per-read timer, never a per-header one.
  while (!cut && clock_type::now() - t0 < 3s) {
    cut = !slow.try_send("X") || slow.peer_gone();
    expect_served(s->port(), "/normal"); // the single I/O thread is not held by the slow client
    std::this_thread::sleep_for(50ms);
  }
  auto elapsed = clock_type::now() - t0;
  EXPECT_TRUE(cut) << "a header a byte at a time must not hold a connection";
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_GE(s->stats().timed_out_connections, 1u);
}

TEST(http_server_limits, a_client_that_sends_nothing_is_cut_after_the_idle_timeout) {
  http::server_options opts;
  opts.idle_timeout = 300ms;
  auto s = start(opts);
  client idle{s->port()};
  auto t0 = clock_type::now();
  EXPECT_TRUE(idle.closed());
  EXPECT_LT(clock_type::now() - t0, 2s);
  expect_served(s->port(), "/after");
}

TEST(http_server_limits, a_body_trickling_past_the_body_timeout_is_cut) {
  http::server_options opts;
  opts.body_timeout = 300ms;
  auto s = start(opts);
  client slow{s->port()};
  slow.send("POST /p HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc");
  auto t0 = clock_type::now();
  EXPECT_TRUE(slow.closed());
  EXPECT_LT(clock_type::now() - t0, 2s);
  expect_served(s->port(), "/after");
}

TEST(http_server_limits, a_thousand_connections_are_capped_and_a_normal_client_is_served_after) {
  // 1000 client sockets plus the server's own in one process: make sure the soft limit allows them.
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_cur < 2200 && files.rlim_max >= 2200) {
    files.rlim_cur = 2200;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  http::server_options opts;
  opts.max_connections = 64;
  opts.idle_timeout = 2s; // long enough for all 1000 to be accepted (or refused) while the 64 hold their slots
  auto s = start(opts);
  std::vector<std::unique_ptr<client>> flood;
  for (int i = 0; i < 1000; ++i)
    flood.push_back(std::make_unique<client>(s->port()));
  EXPECT_TRUE(eventually([&] { return s->stats().refused_connections == 1000 - 64; }))
      << "refused " << s->stats().refused_connections;
  EXPECT_LE(s->stats().open_connections, 64u);
  // The flood stays connected on this side; the server drops its 64 idle ones after idle_timeout.
  EXPECT_TRUE(eventually([&] { return s->stats().open_connections == 0; })) << s->stats().open_connections;
  expect_served(s->port(), "/after-flood");
  flood.clear();
  for (int i = 0; i < 3; ++i)
    expect_served(s->port(), "/again");
}

TEST(http_server_limits, a_header_over_the_limit_gets_431) {
  http::server_options opts;
  opts.header_limit = 1024;
  auto s = start(opts);
  client c{s->port()};
  c.send(get("/big", "X-Filler: " + std::string(2048, 'a') + "\r\n"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  expect_served(s->port(), "/small");
}

TEST(http_server_limits, a_body_over_the_limit_gets_413_before_it_is_sent) {
  http::server_options opts;
  opts.body_limit = 1024;
  auto s = start(opts);
  client declared{s->port()};
  // The header alone says 1 GiB: answered without waiting for (or buffering) any of it.
  declared.send("POST /big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1073741824\r\n\r\n");
  auto r = declared.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  client chunked{s->port()};
  chunked.send("POST /big HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(2048, 'b')
               + "\r\n0\r\n\r\n");
  auto c = chunked.read_reply();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, 413);
  expect_served(s->port(), "/small");
}

} // namespace
