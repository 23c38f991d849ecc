#include "model/properties.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;

TEST(properties, parses_java_forms) {
  auto p = parse_properties("# comment\n! also\n\na=1\nb : 2\nc 3\nd=x=y\nlong=one,\\\n    two\nesc\\=key=v\\tw\n"
                            "  spaced  =  value  \nempty=\nu=\\u0041\n");
  ASSERT_TRUE(p.is_ok()) << p.error().to_string();
  EXPECT_EQ(p->at("a"), "1");
  EXPECT_EQ(p->at("b"), "2");
  EXPECT_EQ(p->at("c"), "3");
  EXPECT_EQ(p->at("d"), "x=y");
  EXPECT_EQ(p->at("long"), "one,two");
  EXPECT_EQ(p->at("esc=key"), "v\tw");
  EXPECT_EQ(p->at("spaced"), "value  ");
  EXPECT_EQ(p->at("empty"), "");
  EXPECT_EQ(p->at("u"), "A");
}

TEST(properties, later_duplicate_wins) {
  EXPECT_EQ(parse_properties("a=1\na=2\n")->at("a"), "2");
}

TEST(properties, errors_name_the_line) {
  auto p = parse_properties("a=1\n=oops\n");
  ASSERT_FALSE(p.is_ok());
  EXPECT_NE(p.error().message().find("line 2"), std::string::npos) << p.error().message();
  auto u = parse_properties("a=1\nb=\\u12\n");
  ASSERT_FALSE(u.is_ok());
  EXPECT_NE(u.error().message().find("line 2"), std::string::npos);
}

TEST(properties, render_is_sorted_and_round_trips) {
  properties p{{"z", "1"}, {"a", "x y"}, {"k=eq", "v\nw"}, {"lead", " space"}};
  auto text = render_properties(p);
  EXPECT_EQ(text.substr(0, 6), "a=x y\n");
  auto back = parse_properties(text);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, p);
}
