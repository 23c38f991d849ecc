#include "integrations/http/url_query.hpp"

#include <gtest/gtest.h>

namespace kactor::integrations::http {
namespace {

TEST(UrlQuery, DecodesEscapesAndPlusAndKeepsMalformedEscapesAsWritten) {
  EXPECT_EQ(percent_decode("4-%2Fkafka-logs2%2c4"), "4-/kafka-logs2,4");
  EXPECT_EQ(percent_decode("a+b"), "a b");
  EXPECT_EQ(percent_decode("a%2"), "a%2");
  EXPECT_EQ(percent_decode("%zz%"), "%zz%");
  EXPECT_EQ(percent_decode(""), "");
}

TEST(UrlQuery, SplitsPairsSkippingEmptyOnesAndKeysWithoutValues) {
  auto q = parse_query("brokerid=1%2C2&&json&dryrun=false&dryrun=true");
  EXPECT_EQ(q, (std::map<std::string, std::string>{{"brokerid", "1,2"}, {"json", ""}, {"dryrun", "true"}}));
  EXPECT_TRUE(parse_query("").empty());
}

} // namespace
} // namespace kactor::integrations::http
