// Decoding watch lines and response bodies: shapes checked, errors naming the byte or field.
#include "integrations/kubernetes/watch_event.hpp"

#include <gtest/gtest.h>

namespace kactor::integrations::kubernetes {
namespace {

TEST(WatchEvent, DecodesEveryType) {
  auto ev = decode_watch_event(R"({"type":"MODIFIED","object":{"metadata":{"name":"a","namespace":"n","resourceVersion":"7"}}})");
  ASSERT_TRUE(ev.is_ok()) << ev.error().message();
  EXPECT_EQ(ev.value().type, watch_event_type::modified);
  EXPECT_EQ(ev.value().name, "a");
  EXPECT_EQ(ev.value().namespace_, "n");
  EXPECT_EQ(ev.value().resource_version, "7");
  auto bm = decode_watch_event(R"({"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"9"}}})");
  ASSERT_TRUE(bm.is_ok()) << bm.error().message();
  EXPECT_EQ(bm.value().type, watch_event_type::bookmark);
  auto err = decode_watch_event(R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}})");
  ASSERT_TRUE(err.is_ok());
  EXPECT_EQ(err.value().object["code"], 410);
}

TEST(WatchEvent, ErrorsNameTheFault) {
  struct c { const char* line; const char* expect; };
  for (auto [line, expect] : std::vector<c>{
           {R"({"type":"ADDED","object":{"metadata":{"name":"a")", "invalid JSON at byte"},
           {R"({"type":"ADDED"})", "watch event.object: expected an object"},
           {R"({"type":"SURPRISE","object":{}})", "unknown type"},
           {R"({"type":1,"object":{}})", "watch event.type: expected a string"},
           {R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})", "resourceVersion: missing"},
           {R"({"type":"ADDED","object":{"metadata":{"name":["a"],"resourceVersion":"1"}}})", "metadata.name: expected a string"},
           {R"({"type":"ERROR","object":{"code":"410"}})", "code: expected an integer"},
           {"[]", "expected an object"}}) {
    auto ev = decode_watch_event(line);
    ASSERT_FALSE(ev.is_ok()) << line;
    EXPECT_NE(ev.error().message().find(expect), std::string::npos) << ev.error().message();
  }
}

TEST(WatchEvent, ListsAndObjects) {
  auto l = decode_list(R"({"kind":"PodList","metadata":{"resourceVersion":"5"},"items":null})");
  ASSERT_TRUE(l.is_ok());
  EXPECT_TRUE(l.value()["items"].is_array());
  EXPECT_FALSE(decode_list(R"({"metadata":{"continue":5},"items":[]})").is_ok());
  EXPECT_TRUE(decode_object(R"({"metadata":{"name":"x"}})").is_ok());
  EXPECT_FALSE(decode_object(R"({"metadata":{"uid":1}})").is_ok());
}

} // namespace
} // namespace kactor::integrations::kubernetes
