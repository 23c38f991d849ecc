// The asynchronous client against the HTTP server on loopback: keep-alive reuse, a connection the server
// closed while idle, timeouts, streams and their cancellation, stop with requests outstanding.
#include "integrations/http/async_client.hpp"

#include <atomic>
#include <future>
#include <mutex>
#include <vector>
#include <thread>

#include <gtest/gtest.h>

#include "integrations/http/server.hpp"

namespace kactor::integrations::http {
namespace {

using namespace std::chrono_literals;

model::result<response> send_sync(async_client& c, outgoing_request req) {
  std::promise<model::result<response>> p;
  auto f = p.get_future();
  c.send(std::move(req), [&p](model::result<response> r) { p.set_value(std::move(r)); });
  return f.get();
}

std::unique_ptr<server> echo_server(server_options opts = {}) {
  // Exchanges kept unanswered (a dropped exchange would answer 500 by itself).
  auto hung = std::make_shared<std::vector<std::shared_ptr<exchange>>>();
  auto mutex = std::make_shared<std::mutex>();
  auto s = make_server(opts, [hung, mutex](std::shared_ptr<exchange> ex) {
    if (ex->req().target == "/hang") {
      std::lock_guard lock(*mutex);
      hung->push_back(ex); // never answered: the client's deadline must fire
      return;
    }
    if (ex->req().target == "/stream") {
      auto st = ex->start_stream(200, {{"Content-Type", "application/json"}});
      std::thread([st] {
        for (int i = 0; i < 200 && st->is_open(); ++i) {
          st->write("{\"n\":" + std::to_string(i) + "}\n");
          std::this_thread::sleep_for(5ms);
        }
        st->close();
      }).detach();
      return;
    }
    ex->respond({200, {{"Content-Type", "text/plain"}}, ex->req().method + " " + ex->req().target + " " + ex->req().body});
  });
  return std::move(s.value());
}

client_endpoint endpoint_for(const server& s) {
  client_endpoint ep;
  ep.port = s.port();
  return ep;
}

TEST(AsyncClient, ReusesKeptAliveConnections) {
  auto s = echo_server();
  auto c = make_async_client(endpoint_for(*s)).value();
  for (int i = 0; i < 10; ++i) {
    auto r = send_sync(*c, {"POST", "/x" + std::to_string(i), {}, "body"});
    ASSERT_TRUE(r.is_ok()) << r.error().message();
    EXPECT_EQ(r.value().body, "POST /x" + std::to_string(i) + " body");
  }
  EXPECT_EQ(c->connections_opened(), 1u);
  EXPECT_EQ(c->idle_connections(), 1u);
}

TEST(AsyncClient, RetriesOnceWhenTheServerClosedAnIdleConnection) {
  server_options opts;
  opts.idle_timeout = 1s;
  auto s = echo_server(opts);
  auto c = make_async_client(endpoint_for(*s)).value();
  ASSERT_TRUE(send_sync(*c, {"GET", "/a"}).is_ok());
  std::this_thread::sleep_for(1500ms); // the server closes the idle connection
  auto r = send_sync(*c, {"GET", "/b"});
  ASSERT_TRUE(r.is_ok()) << r.error().message();
  EXPECT_EQ(c->connections_opened(), 2u);
}

TEST(AsyncClient, DeadlinesAndRefusedConnectionsAreErrors) {
  auto s = echo_server();
  auto c = make_async_client(endpoint_for(*s)).value();
  outgoing_request hang{"GET", "/hang"};
  hang.timeout = 200ms;
  auto r = send_sync(*c, hang);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().message().find("timed out after 200 ms"), std::string::npos) << r.error().message();
  auto port = s->port();
  s->stop();
  client_endpoint gone;
  gone.port = port;
  auto c2 = make_async_client(gone).value();
  auto refused = send_sync(*c2, {"GET", "/"});
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.error().message().find("connect 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << refused.error().message();
}

TEST(AsyncClient, StreamsLinesAndCancels) {
  auto s = echo_server();
  auto c = make_async_client(endpoint_for(*s)).value();
  std::atomic<int> lines{0};
  std::atomic<bool> ended{false};
  stream_callbacks cbs;
  cbs.on_headers = [](int status) { EXPECT_EQ(status, 200); };
  cbs.on_line = [&](std::string_view line) {
    EXPECT_EQ(line.substr(0, 5), "{\"n\":");
    ++lines;
    return true;
  };
  cbs.on_end = [&](model::status, int, std::string) { ended = true; };
  auto h = c->stream({"GET", "/stream"}, cbs);
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (lines < 5 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  h->cancel();
  int at_cancel = lines;
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(lines.load(), at_cancel); // nothing after cancel() returned
  EXPECT_FALSE(ended.load());
  EXPECT_GE(at_cancel, 5);
}

TEST(AsyncClient, StopFailsOutstandingRequests) {
  auto s = echo_server();
  auto c = make_async_client(endpoint_for(*s)).value();
  std::promise<model::result<response>> p;
  outgoing_request hang{"GET", "/hang"};
  hang.timeout = 60s;
  c->send(hang, [&p](model::result<response> r) { p.set_value(std::move(r)); });
  std::this_thread::sleep_for(100ms);
  c->stop();
  auto f = p.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(f.get().is_ok());
  auto after = send_sync(*c, {"GET", "/"});
  ASSERT_FALSE(after.is_ok());
  EXPECT_NE(after.error().message().find("client stopped"), std::string::npos);
}

} // namespace
} // namespace kactor::integrations::http

namespace kactor::integrations::http {
namespace {

TEST(AsyncClient, RefusesBodiesAboveTheLimit) {
  std::string huge(65 * 1024 * 1024, 'a');
  auto s = make_server({}, [&huge](std::shared_ptr<exchange> ex) { ex->respond({200, {{"Content-Type", "text/plain"}}, huge}); });
  client_endpoint ep;
  ep.port = s.value()->port();
  auto c = make_async_client(ep).value();
  auto r = send_sync(*c, {"GET", "/"});
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().message().find("response body exceeds"), std::string::npos) << r.error().message();
}

} // namespace
} // namespace kactor::integrations::http
