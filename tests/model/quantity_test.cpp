#include "model/quantity.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;

TEST(quantity, parses_binary_decimal_and_exponent_forms) {
  EXPECT_EQ(parse_quantity("10Gi")->value, 10.0L * 1024 * 1024 * 1024);
  EXPECT_NEAR(static_cast<double>(parse_quantity("500m")->value), 0.5, 1e-12);
  EXPECT_EQ(parse_quantity("2")->value, 2.0L);
  EXPECT_EQ(parse_quantity("1e3")->value, 1000.0L);
  EXPECT_NEAR(static_cast<double>(parse_quantity("1.5G")->value), 1.5e9, 1e-3);
  EXPECT_LT(*parse_quantity("1Gi"), *parse_quantity("2G"));
}

TEST(quantity, rejects_garbage_naming_the_text) {
  for (const char* bad : {"", "Gi", "10GB", "ten", "1e", "1.2.3", "10 Gi"}) {
    auto q = parse_quantity(bad);
    EXPECT_FALSE(q.is_ok()) << bad;
    if (!q.is_ok()) {
      EXPECT_NE(q.error().message().find(std::string{"\""} + bad + "\""), std::string::npos) << q.error().message();
    }
  }
}
