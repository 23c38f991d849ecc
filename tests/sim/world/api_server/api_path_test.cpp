#include "sim/world/api_server/api_path.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;

TEST(api_path, targets_and_queries) {
  auto t = parse_target("/api/v1/pods?labelSelector=app%3Dkafka%2Cx+in+(a)&watch=true");
  EXPECT_EQ(t.path, "/api/v1/pods");
  EXPECT_EQ(t.query["labelSelector"], "app=kafka,x in (a)");
  EXPECT_TRUE(query_bool(t.query, "watch"));
  EXPECT_FALSE(query_bool(t.query, "missing"));
}

TEST(api_path, resource_paths) {
  auto p = parse_resource_path("/apis/kafka.banzaicloud.io/v1beta1/namespaces/kafka/kafkaclusters/kafka/status");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->group, "kafka.banzaicloud.io");
  EXPECT_EQ(p->namespace_, "kafka");
  EXPECT_EQ(p->resource, "kafkaclusters");
  EXPECT_EQ(p->name, "kafka");
  EXPECT_EQ(p->subresource, "status");
  auto ns = parse_resource_path("/api/v1/namespaces/kafka");
  ASSERT_TRUE(ns);
  EXPECT_EQ(ns->resource, "namespaces");
  EXPECT_EQ(ns->name, "kafka");
  EXPECT_TRUE(ns->namespace_.empty());
  auto all = parse_resource_path("/api/v1/pods");
  EXPECT_EQ(all->resource, "pods");
  EXPECT_FALSE(parse_resource_path("/version"));
  EXPECT_FALSE(parse_resource_path("/api/v1/namespaces/a/pods/b/c/d"));
}
