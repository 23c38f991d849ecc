#include "model/status.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;

TEST(status, ok_and_failures_describe_themselves) {
  EXPECT_TRUE(status::ok().is_ok());
  auto s = status::invalid("spec.brokers[1].id: duplicate broker id 1");
  EXPECT_FALSE(s.is_ok());
  EXPECT_EQ(s.kind(), status_kind::invalid);
  EXPECT_EQ(s.to_string(), "invalid: spec.brokers[1].id: duplicate broker id 1");
}

TEST(status, result_holds_value_or_error) {
  result<int> good = 3;
  ASSERT_TRUE(good.is_ok());
  EXPECT_EQ(*good, 3);
  result<int> bad = status::not_found("broker 7");
  EXPECT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.error().kind(), status_kind::not_found);
}

TEST(status, field_errors_join_into_one_status) {
  field_errors errs{{"a.b", "x"}, {"c", "y"}};
  EXPECT_EQ(to_status(errs).message(), "a.b: x\nc: y");
  EXPECT_TRUE(to_status({}).is_ok());
}
