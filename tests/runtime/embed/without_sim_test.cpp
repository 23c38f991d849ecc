// The embeddable library without its simulation component (kactor::sim not linked): asking for a simulated
// cluster is refused with the component to link, and nothing starts.
#include "kactor/runtime.hpp"

#include <gtest/gtest.h>

using namespace kactor::api;

TEST(embedded_runtime_without_sim, simulation_names_the_component_to_link) {
  runtime rt({});
  auto st = rt.start();
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("kactor::sim"), std::string::npos) << st.message();
  EXPECT_FALSE(rt.running());
  EXPECT_EQ(rt.kubeconfig(), "");
}
