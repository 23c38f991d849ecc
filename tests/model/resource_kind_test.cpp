#include "model/resource_kind.hpp"

#include <gtest/gtest.h>

#include "model/render/desired_state.hpp"
#include "test_support.hpp"

using namespace kactor::model;

TEST(resource_kind, every_kind_round_trips_through_its_plural_and_its_kind_name) {
  for (auto k : {resource_kind::pod, resource_kind::configmap, resource_kind::service, resource_kind::persistent_volume_claim,
                 resource_kind::pod_disruption_budget, resource_kind::kafka_cluster, resource_kind::cruise_control_operation,
                 resource_kind::event}) {
    EXPECT_EQ(resource_kind_of_plural(plural_of(k)), k) << plural_of(k);
    EXPECT_EQ(resource_kind_of(json{{"kind", kind_name(k)}}), k) << kind_name(k);
  }
  EXPECT_STREQ(plural_of(resource_kind::persistent_volume_claim), "persistentvolumeclaims");
}

TEST(resource_kind, an_unknown_kind_is_named_as_such_not_mapped_to_another) {
  EXPECT_FALSE(resource_kind_of_plural("statefulsets"));
  EXPECT_FALSE(resource_kind_of(json{{"kind", "StatefulSet"}}));
  EXPECT_FALSE(resource_kind_of(json{{"kind", 7}}));
  EXPECT_FALSE(resource_kind_of(json::array()));
}

TEST(resource_kind, every_rendered_object_is_of_a_known_kind) {
  auto c = kactor::testing::base_cluster();
  for (const auto& o : render_cluster_objects(c))
    EXPECT_TRUE(resource_kind_of(o)) << o.value("kind", "");
  auto b = render_broker(c, c.spec.brokers.at(0).id);
  ASSERT_TRUE(b);
  for (const auto* o : {&b->pod, &b->configmap})
    EXPECT_TRUE(resource_kind_of(*o)) << o->value("kind", "");
  for (const auto& pvc : b->pvcs)
    EXPECT_EQ(resource_kind_of(pvc), resource_kind::persistent_volume_claim);
}
