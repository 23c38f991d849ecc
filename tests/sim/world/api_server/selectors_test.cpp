#include "sim/world/api_server/selectors.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;

namespace {

nlohmann::json obj(nlohmann::json labels) {
  return {{"metadata", {{"name", "n"}, {"namespace", "ns"}, {"labels", labels}}}, {"status", {{"phase", "Running"}}}};
}

} // namespace

TEST(selectors, label_forms) {
  auto o = obj({{"app", "kafka"}, {"brokerId", "1"}});
  auto check = [&](const std::string& s) {
    auto sel = parse_label_selector(s);
    EXPECT_TRUE(sel.is_ok()) << s;
    return sel && matches_labels(*sel, o);
  };
  EXPECT_TRUE(check("app=kafka"));
  EXPECT_TRUE(check("app==kafka,brokerId=1"));
  EXPECT_FALSE(check("app!=kafka"));
  EXPECT_TRUE(check("brokerId in (0, 1, 2)"));
  EXPECT_FALSE(check("brokerId notin (1)"));
  EXPECT_TRUE(check("app"));
  EXPECT_TRUE(check("!missing"));
  EXPECT_FALSE(check("missing"));
  EXPECT_TRUE(check(""));
}

TEST(selectors, field_selectors) {
  auto o = obj(nlohmann::json::object());
  EXPECT_TRUE(matches_fields(*parse_field_selector("metadata.name=n,status.phase=Running"), o));
  EXPECT_FALSE(matches_fields(*parse_field_selector("metadata.namespace!=ns"), o));
  EXPECT_FALSE(parse_field_selector("a in (b)").is_ok());
}

TEST(selectors, bad_terms_are_named) {
  auto bad = parse_label_selector("app=kafka,,x");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.error().message().find("invalid selector term"), std::string::npos);
}
