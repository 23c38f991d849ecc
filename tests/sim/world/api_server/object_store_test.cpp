#include "sim/world/api_server/object_store.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;

namespace {

class object_store_test : public ::testing::Test {
protected:
  std::shared_ptr<resource_registry> reg = std::make_shared<resource_registry>();
  object_store store{reg, {100, [] { return std::string{"2026-01-01T00:00:00Z"}; }}};
  resource_type ns_type = *reg->find("", "v1", "namespaces");
  resource_type pods = *reg->find("", "v1", "pods");
  resource_type cms = *reg->find("", "v1", "configmaps");

  void SetUp() override { store.create(ns_type, "", {{"metadata", {{"name", "kafka"}}}}); }

  json pod(const std::string& name, json labels = json::object()) {
    return {{"metadata", {{"name", name}, {"labels", labels}}}, {"spec", {{"containers", json::array()}}}};
  }
};

} // namespace

TEST_F(object_store_test, create_sets_server_fields) {
  auto r = store.create(pods, "kafka", pod("kafka-0"));
  ASSERT_FALSE(r.error);
  const auto& m = r.object["metadata"];
  EXPECT_FALSE(m["uid"].get<std::string>().empty());
  EXPECT_EQ(m["creationTimestamp"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(m["generation"], 1);
  EXPECT_EQ(m["namespace"], "kafka");
  EXPECT_EQ(r.object["kind"], "Pod");
  EXPECT_EQ(std::stoull(m["resourceVersion"].get<std::string>()), store.resource_version());
}

TEST_F(object_store_test, errors_have_kubernetes_reasons) {
  store.create(pods, "kafka", pod("kafka-0"));
  EXPECT_EQ(store.create(pods, "kafka", pod("kafka-0")).error->reason, "AlreadyExists");
  EXPECT_EQ(store.create(pods, "kafka", pod("kafka-0")).error->code, 409);
  EXPECT_EQ(store.get(pods, "kafka", "nope").error->code, 404);
  EXPECT_EQ(store.create(pods, "missing-ns", pod("x")).error->code, 404);
  EXPECT_EQ(store.create(pods, "kafka", pod("Bad_Name")).error->code, 422);
  auto status = store.get(pods, "kafka", "nope").error->to_status();
  EXPECT_EQ(status["kind"], "Status");
  EXPECT_EQ(status["reason"], "NotFound");
}

TEST_F(object_store_test, generate_name) {
  json p = pod("");
  p["metadata"].erase("name");
  p["metadata"]["generateName"] = "kafka-0-";
  auto r = store.create(pods, "kafka", p);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.object["metadata"]["name"].get<std::string>().rfind("kafka-0-", 0), 0u);
  EXPECT_EQ(r.object["metadata"]["name"].get<std::string>().size(), 13u);
}

TEST_F(object_store_test, stale_update_conflicts_and_generation_follows_spec) {
  auto created = store.create(cms, "kafka", {{"metadata", {{"name", "c"}}}, {"data", {{"a", "1"}}}}).object;
  json stale = created;
  json next = created;
  next["data"]["a"] = "2";
  auto updated = store.update(cms, "kafka", "c", next, false);
  ASSERT_FALSE(updated.error);
  EXPECT_EQ(updated.object["metadata"]["generation"], 2);
  stale["data"]["a"] = "3";
  auto conflict = store.update(cms, "kafka", "c", stale, false);
  ASSERT_TRUE(conflict.error);
  EXPECT_EQ(conflict.error->code, 409);
  EXPECT_EQ(conflict.error->reason, "Conflict");
  // Labels change metadata only: no generation bump.
  json labelled = updated.object;
  labelled["metadata"]["labels"] = {{"x", "y"}};
  EXPECT_EQ(store.update(cms, "kafka", "c", labelled, false).object["metadata"]["generation"], 2);
}

TEST_F(object_store_test, no_op_update_writes_nothing) {
  auto created = store.create(cms, "kafka", {{"metadata", {{"name", "c"}}}, {"data", {{"a", "1"}}}}).object;
  auto rv = store.resource_version();
  auto writes = store.write_count();
  auto same = store.update(cms, "kafka", "c", created, false);
  ASSERT_FALSE(same.error);
  EXPECT_EQ(store.resource_version(), rv);
  EXPECT_EQ(store.write_count(), writes);
}

TEST_F(object_store_test, status_subresource_separates_spec_and_status) {
  auto created = store.create(pods, "kafka", pod("p")).object;
  json with_status = created;
  with_status["status"] = {{"phase", "Running"}};
  with_status["spec"]["nodeName"] = "ignored-on-status";
  auto s = store.update(pods, "kafka", "p", with_status, true);
  ASSERT_FALSE(s.error);
  EXPECT_EQ(s.object["status"]["phase"], "Running");
  EXPECT_FALSE(s.object["spec"].contains("nodeName"));
  json main = s.object;
  main["status"]["phase"] = "Failed";
  main["spec"]["nodeName"] = "n1";
  auto m = store.update(pods, "kafka", "p", main, false);
  EXPECT_EQ(m.object["status"]["phase"], "Running");
  EXPECT_EQ(m.object["spec"]["nodeName"], "n1");
}

TEST_F(object_store_test, finalizers_delay_deletion_until_removed) {
  json c = {{"metadata", {{"name", "held"}, {"finalizers", {"kactor.io/finalizer"}}}}};
  store.create(cms, "kafka", c);
  auto first = store.remove(cms, "kafka", "held", {});
  ASSERT_FALSE(first.error);
  EXPECT_TRUE(first.object["metadata"].contains("deletionTimestamp"));
  EXPECT_FALSE(store.get(cms, "kafka", "held").error);
  json released = store.get(cms, "kafka", "held").object;
  released["metadata"]["finalizers"] = json::array();
  ASSERT_FALSE(store.update(cms, "kafka", "held", released, false).error);
  EXPECT_EQ(store.get(cms, "kafka", "held").error->code, 404);
}

TEST_F(object_store_test, delete_preconditions) {
  auto created = store.create(cms, "kafka", {{"metadata", {{"name", "c"}}}}).object;
  delete_options wrong;
  wrong.precondition_uid = "other";
  EXPECT_EQ(store.remove(cms, "kafka", "c", wrong).error->code, 409);
  delete_options right;
  right.precondition_resource_version = created["metadata"]["resourceVersion"];
  EXPECT_FALSE(store.remove(cms, "kafka", "c", right).error);
}

TEST_F(object_store_test, owner_references_are_garbage_collected) {
  auto owner = store.create(cms, "kafka", {{"metadata", {{"name", "owner"}}}}).object;
  json ref = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "owner"}, {"uid", owner["metadata"]["uid"]}};
  store.create(pods, "kafka", {{"metadata", {{"name", "dep"}, {"ownerReferences", {ref}}}}});
  store.create(pods, "kafka", pod("independent"));
  ASSERT_FALSE(store.remove(cms, "kafka", "owner", {}).error);
  EXPECT_EQ(store.get(pods, "kafka", "dep").error->code, 404);
  EXPECT_FALSE(store.get(pods, "kafka", "independent").error);
}

TEST_F(object_store_test, graceful_pod_deletion_waits_for_the_kubelet) {
  json p = pod("scheduled");
  p["spec"]["nodeName"] = "node-1";
  store.create(pods, "kafka", p);
  auto r = store.remove(pods, "kafka", "scheduled", {});
  EXPECT_TRUE(r.object["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(r.object["metadata"]["deletionGracePeriodSeconds"], 30);
  delete_options now;
  now.grace_period_seconds = 0;
  EXPECT_FALSE(store.remove(pods, "kafka", "scheduled", now).error);
  EXPECT_EQ(store.get(pods, "kafka", "scheduled").error->code, 404);
}

TEST_F(object_store_test, list_filters_and_paginates) {
  for (int i = 0; i < 5; ++i)
    store.create(pods, "kafka", pod("p" + std::to_string(i), {{"app", i % 2 ? "kafka" : "other"}}));
  auto sel = *parse_label_selector("app=kafka");
  EXPECT_EQ(store.list(pods, "kafka", sel, {}).items.size(), 2u);
  auto page1 = store.list(pods, "kafka", {}, {}, 2);
  ASSERT_EQ(page1.items.size(), 2u);
  ASSERT_FALSE(page1.continue_token.empty());
  auto page2 = store.list(pods, "kafka", {}, {}, 2, page1.continue_token);
  auto page3 = store.list(pods, "kafka", {}, {}, 2, page2.continue_token);
  EXPECT_EQ(page2.items.size(), 2u);
  EXPECT_EQ(page3.items.size(), 1u);
  EXPECT_TRUE(page3.continue_token.empty());
  EXPECT_EQ(store.list(pods, "kafka", {}, *parse_field_selector("metadata.name=p3")).items.size(), 1u);
}

TEST_F(object_store_test, watch_replays_history_then_follows_and_expires) {
  auto start = store.resource_version();
  store.create(cms, "kafka", {{"metadata", {{"name", "a"}}}});
  std::vector<std::string> seen;
  watch_request req;
  req.resource_key = cms.key();
  req.from_version = start;
  req.deliver = [&](const watch_event& e) { seen.push_back(e.type + ":" + e.object["metadata"].value("name", "")); };
  auto handle = store.watch(req);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<watch_handle>>(handle));
  store.create(cms, "kafka", {{"metadata", {{"name", "b"}}}});
  store.remove(cms, "kafka", "a", {});
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED:a", "ADDED:b", "DELETED:a"}));
  store.compact();
  auto expired = store.watch(req);
  ASSERT_TRUE(std::holds_alternative<api_error>(expired));
  EXPECT_EQ(std::get<api_error>(expired).code, 410);
}

TEST_F(object_store_test, filtered_watch_sees_objects_enter_and_leave) {
  auto created = store.create(pods, "kafka", pod("p", {{"app", "other"}})).object;
  std::vector<std::string> seen;
  watch_request req;
  req.resource_key = pods.key();
  req.labels = *parse_label_selector("app=kafka");
  req.from_version = store.resource_version();
  req.deliver = [&](const watch_event& e) { seen.push_back(e.type); };
  auto handle = store.watch(req);
  json in = created;
  in["metadata"]["labels"]["app"] = "kafka";
  in = store.update(pods, "kafka", "p", in, false).object;
  json out = in;
  out["metadata"]["labels"]["app"] = "gone";
  store.update(pods, "kafka", "p", out, false);
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED", "DELETED"}));
}

TEST_F(object_store_test, crd_creation_serves_the_custom_resource) {
  json crd = {{"metadata", {{"name", "kafkaclusters.kafka.banzaicloud.io"}}},
              {"spec",
               {{"group", "kafka.banzaicloud.io"},
                {"scope", "Namespaced"},
                {"names", {{"plural", "kafkaclusters"}, {"singular", "kafkacluster"}, {"kind", "KafkaCluster"}}},
                {"versions", {{{"name", "v1beta1"}, {"served", true}, {"subresources", {{"status", json::object()}}}}}}}}};
  auto crds = *reg->find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  ASSERT_FALSE(store.create(crds, "", crd).error);
  auto kc = reg->find("kafka.banzaicloud.io", "v1beta1", "kafkaclusters");
  ASSERT_TRUE(kc);
  EXPECT_TRUE(kc->has_status);
  ASSERT_FALSE(store.create(*kc, "kafka", {{"metadata", {{"name", "kafka"}}}, {"spec", json::object()}}).error);
  ASSERT_FALSE(store.remove(crds, "", "kafkaclusters.kafka.banzaicloud.io", {}).error);
  EXPECT_FALSE(reg->find("kafka.banzaicloud.io", "v1beta1", "kafkaclusters"));
}

TEST_F(object_store_test, deleting_a_namespace_deletes_its_objects) {
  store.create(pods, "kafka", pod("p"));
  ASSERT_FALSE(store.remove(ns_type, "", "kafka", {}).error);
  EXPECT_EQ(store.get(pods, "kafka", "p").error->code, 404);
}

TEST_F(object_store_test, bookmarks_go_only_to_watches_that_asked) {
  std::vector<std::string> with, without;
  watch_request a;
  a.resource_key = cms.key();
  a.from_version = store.resource_version();
  a.bookmarks = true;
  a.deliver = [&](const watch_event& e) { with.push_back(e.type + ":" + e.object["metadata"].value("resourceVersion", "")); };
  watch_request b = a;
  b.bookmarks = false;
  b.deliver = [&](const watch_event& e) { without.push_back(e.type); };
  auto ha = store.watch(a);
  auto hb = store.watch(b);
  store.bookmark(cms.key(), "v1", "ConfigMap");
  ASSERT_EQ(with.size(), 1u);
  EXPECT_EQ(with[0], "BOOKMARK:" + std::to_string(store.resource_version()));
  EXPECT_TRUE(without.empty());
}

TEST_F(object_store_test, secrets_fold_string_data_into_data_and_refuse_what_is_not_base64) {
  auto secrets = *reg->find("", "v1", "secrets");
  auto r = store.create(secrets, "kafka",
                        {{"metadata", {{"name", "cc-admin"}}},
                         {"data", {{"username", "b2xk"}}},                       // "old"
                         {"stringData", {{"username", "admin"}, {"password", "s3cret"}}}});
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_FALSE(r.object.contains("stringData")) << "write-only, never returned";
  EXPECT_EQ(r.object["data"]["username"], "YWRtaW4=") << "stringData wins";
  EXPECT_EQ(r.object["data"]["password"], "czNjcmV0");

  auto bad = store.create(secrets, "kafka", {{"metadata", {{"name", "bad"}}}, {"data", {{"key", "not base64!"}}}});
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->code, 400);
  EXPECT_EQ(bad.error->message, "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data.key");
  EXPECT_TRUE(store.create(secrets, "kafka", {{"metadata", {{"name", "bad"}}}, {"stringData", {{"k", 1}}}}).error);
}

TEST_F(object_store_test, metadata_of_another_json_type_is_refused_as_kube_apiserver_decodes_it) {
  auto with_meta = [&](json meta) {
    meta["name"] = "kafka-0";
    return json{{"metadata", meta}, {"spec", {{"containers", json::array()}}}};
  };
  auto refused = [&](json meta) {
    auto r = store.create(pods, "kafka", with_meta(std::move(meta)));
    return r.error ? r.error->message : std::string{"created"};
  };
  EXPECT_EQ(refused({{"ownerReferences", "x"}}),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field "
            "ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference");
  EXPECT_NE(refused({{"ownerReferences", {{{"uid", 7}}}}}).find("ObjectMeta.metadata.ownerReferences.uid of type string"),
            std::string::npos);
  EXPECT_NE(refused({{"labels", {{"app", 1}}}}).find("metadata.labels of type string"), std::string::npos);
  EXPECT_NE(refused({{"finalizers", "kactor.io/finalizer"}}).find("metadata.finalizers of type []string"), std::string::npos);
  EXPECT_NE(refused({{"generation", "1"}}).find("metadata.generation of type int64"), std::string::npos);
  EXPECT_EQ(store.list(pods, "kafka", {}, {}).items.size(), 0u) << "nothing refused was stored";
  EXPECT_EQ(refused({{"labels", nullptr}, {"ownerReferences", nullptr}}), "created") << "null reads as absent";
  // An update is held to the same rule.
  auto cur = store.create(pods, "kafka", pod("kafka-1")).object;
  cur["metadata"]["finalizers"] = {1};
  auto u = store.update(pods, "kafka", "kafka-1", cur, false);
  ASSERT_TRUE(u.error);
  EXPECT_EQ(u.error->code, 400);
}
