#include "model/time.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;

TEST(time, formats_whole_seconds_in_utc) {
  EXPECT_EQ(format_rfc3339(int64_t{0}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(int64_t{86401}), "1970-01-02T00:00:01Z");
  EXPECT_EQ(format_rfc3339(int64_t{1709288130}), "2024-03-01T10:15:30Z");
  EXPECT_EQ(format_rfc3339(int64_t{951782400}), "2000-02-29T00:00:00Z") << "leap day of a century leap year";
  EXPECT_EQ(format_rfc3339(int64_t{-1}), "1969-12-31T23:59:59Z");
}

TEST(time, formats_a_time_point_truncated) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds{1709288130999}};
  EXPECT_EQ(format_rfc3339(t), "2024-03-01T10:15:30Z");
  EXPECT_EQ(format_rfc3339_micro(t), "2024-03-01T10:15:30.999000Z");
  EXPECT_EQ(format_rfc3339_micro(int64_t{1}), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(format_rfc3339_micro(int64_t{-1}), "1969-12-31T23:59:59.999999Z");
}

TEST(time, parses_what_it_formats_and_refuses_other_text) {
  EXPECT_EQ(rfc3339_seconds("1970-01-02T00:00:01Z"), 86401);
  EXPECT_EQ(rfc3339_seconds("2024-03-01T10:15:30.123456Z"), 1709288130) << "fractions ignored";
  for (int64_t s : {int64_t{0}, int64_t{951782400}, int64_t{4102444799}})
    EXPECT_EQ(rfc3339_seconds(format_rfc3339(s)), s);
  EXPECT_EQ(rfc3339_seconds(""), -1);
  EXPECT_EQ(rfc3339_seconds("yesterday at noon, roughly"), -1);
}

TEST(time, seconds_text_keeps_what_a_sub_second_timeout_is) {
  EXPECT_EQ(seconds_text(std::chrono::milliseconds{300000}), "300 s");
  EXPECT_EQ(seconds_text(std::chrono::milliseconds{1500}), "1.5 s");
  EXPECT_EQ(seconds_text(std::chrono::milliseconds{50}), "0.05 s");
  EXPECT_EQ(seconds_text(std::chrono::milliseconds{1}), "0.001 s");
  EXPECT_EQ(seconds_text(std::chrono::milliseconds{0}), "0 s");
  EXPECT_EQ(seconds_text(std::chrono::milliseconds{-2250}), "-2.25 s");
}
