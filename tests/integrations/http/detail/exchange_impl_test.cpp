// The handles without sockets: a fake connection records what exchanges and streams post to it.
#include "integrations/http/detail/exchange_impl.hpp"

#include <gtest/gtest.h>

namespace http = kactor::integrations::http;
using http::detail::exchange_impl;
using http::detail::gate;
using http::detail::header_list;
using http::detail::stream_impl;

namespace {

struct fake_connection : http::detail::connection {
  std::vector<int> responses; ///< statuses
  std::vector<std::shared_ptr<stream_impl>> started;
  std::vector<std::pair<const stream_impl*, std::string>> chunks;
  std::vector<const stream_impl*> finished;

  void post_respond(http::response r) override { responses.push_back(r.status); }
  void post_start_stream(int, header_list, std::shared_ptr<stream_impl> st) override { started.push_back(st); }
  void post_chunk(const stream_impl* from, std::string chunk) override { chunks.emplace_back(from, chunk); }
  void post_finish(const stream_impl* from) override { finished.push_back(from); }
  void abort() override {}
};

struct http_exchange_impl : ::testing::Test {
  std::shared_ptr<gate> doors = std::make_shared<gate>();
  std::shared_ptr<fake_connection> conn = std::make_shared<fake_connection>();
  std::shared_ptr<exchange_impl> make() { return std::make_shared<exchange_impl>(http::request{}, doors, conn); }
  void close_gate() {
    std::lock_guard lock{doors->mu};
    doors->open = false;
  }
};

TEST_F(http_exchange_impl, answers_once) {
  auto ex = make();
  ex->respond({204, {}, ""});
  ex->respond({200, {}, "again"});
  EXPECT_FALSE(ex->start_stream(200, {})->is_open());
  ex.reset();
  EXPECT_EQ(conn->responses, std::vector<int>{204});
  EXPECT_TRUE(conn->started.empty());
}

TEST_F(http_exchange_impl, a_dropped_exchange_answers_500) {
  make().reset();
  EXPECT_EQ(conn->responses, std::vector<int>{500});
}

TEST_F(http_exchange_impl, a_stream_tags_its_chunks_and_finishes_once) {
  auto st = make()->start_stream(200, {{"Content-Type", "application/json"}});
  ASSERT_EQ(conn->started.size(), 1u);
  EXPECT_EQ(conn->started[0], st);
  EXPECT_TRUE(conn->responses.empty()); // started counts as the answer
  EXPECT_TRUE(st->write("a"));
  st->close();
  st->close();
  EXPECT_FALSE(st->is_open());
  EXPECT_FALSE(st->write("b"));
  const auto* id = conn->started[0].get();
  EXPECT_EQ(conn->chunks, (std::vector<std::pair<const stream_impl*, std::string>>{{id, "a"}}));
  EXPECT_EQ(conn->finished, std::vector<const stream_impl*>{id});
}

TEST_F(http_exchange_impl, nothing_passes_a_closed_gate) {
  auto ex = make();
  auto later = make();
  auto st = ex->start_stream(200, {});
  close_gate();
  EXPECT_FALSE(st->write("x"));
  st->close();
  later->respond({200, {}, ""});
  EXPECT_FALSE(make()->start_stream(200, {})->is_open());
  EXPECT_TRUE(conn->chunks.empty());
  EXPECT_TRUE(conn->finished.empty());
  EXPECT_TRUE(conn->responses.empty());
}

TEST_F(http_exchange_impl, a_gone_connection_closes_new_streams) {
  auto ex = make();
  conn.reset();
  auto st = ex->start_stream(200, {});
  EXPECT_FALSE(st->is_open());
  EXPECT_FALSE(st->write("x"));
}

} // namespace
