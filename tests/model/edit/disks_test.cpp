#include "model/edit/disks.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;
using nlohmann::json;

namespace {

json disks_spec() {
  return json::parse(R"({"brokerConfigGroups": {"default": {"storageConfigs": [{"mountPath": "/logs-1"}]}},
    "brokers": [{"id": 0, "brokerConfigGroup": "default"},
                {"id": 1, "brokerConfigGroup": "default", "brokerConfig": {"storageConfigs": [
                  {"mountPath": "/logs-2", "pvcSpec": {"resources": {"requests": {"storage": "10Gi"}}}}]}}]})");
}

} // namespace

TEST(edit_disks, storage_config_of_writes_a_read_write_once_claim) {
  EXPECT_EQ(storage_config_of({"/d", "1Gi", ""}), json::parse(R"({"mountPath": "/d", "pvcSpec": {"accessModes":
    ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})"));
  EXPECT_EQ(storage_config_of({"/d", "1Gi", "fast"})["pvcSpec"]["storageClassName"], "fast");
  EXPECT_EQ(check_disk({"/d", "", ""}).message(), "storageConfigs[].pvcSpec.resources.requests.storage: required");
}

TEST(edit_disks, free_mount_path_skips_own_and_group_disks) {
  auto sp = disks_spec();
  EXPECT_EQ(*free_mount_path(sp, 0, "/logs"), "/logs-2") << "/logs-1 comes from the group";
  EXPECT_EQ(*free_mount_path(sp, 1, "/logs"), "/logs-3");
  EXPECT_EQ(*free_mount_path(sp, 1, "/other"), "/other-1");
  EXPECT_EQ(free_mount_path(sp, 9, "/logs").error().message(), "spec.brokers: no broker with id 9");
}

TEST(edit_disks, add_disk_appends_to_the_brokers_own_list) {
  auto sp = disks_spec();
  ASSERT_TRUE(add_disk(sp, 0, {"/logs-2", "5Gi", ""}).is_ok()) << "broker 0 has no own /logs-2";
  EXPECT_EQ(sp["brokers"][0]["brokerConfig"]["storageConfigs"][0]["mountPath"], "/logs-2");
  ASSERT_TRUE(add_disk(sp, 1, {"/logs-3", "5Gi", ""}).is_ok());
  EXPECT_EQ(sp["brokers"][1]["brokerConfig"]["storageConfigs"].size(), 2u);
  EXPECT_EQ(sp["brokerConfigGroups"]["default"]["storageConfigs"].size(), 1u) << "the group is untouched";
}

TEST(edit_disks, add_disk_errors_name_the_field_and_leave_the_spec) {
  auto sp = disks_spec();
  auto before = sp;
  auto dup = add_disk(sp, 1, {"/logs-2", "5Gi", ""});
  EXPECT_EQ(dup.kind(), status_kind::invalid);
  EXPECT_EQ(dup.message(), "spec.brokers[1].brokerConfig.storageConfigs: broker 1 already has a disk at /logs-2");
  EXPECT_EQ(add_disk(sp, 7, {"/x", "5Gi", ""}).message(), "spec.brokers: no broker with id 7");
  EXPECT_EQ(add_disk(sp, 0, {"", "5Gi", ""}).message(), "storageConfigs[].mountPath: required");
  EXPECT_EQ(sp, before);
}

TEST(edit_disks, remove_disk_erases_an_own_disk_only) {
  auto sp = disks_spec();
  auto before = sp;
  auto group_disk = remove_disk(sp, 0, "/logs-1");
  EXPECT_EQ(group_disk.kind(), status_kind::not_found);
  EXPECT_EQ(group_disk.message(), "spec.brokers[0].brokerConfig.storageConfigs: broker 0 has no own disk at /logs-1");
  EXPECT_EQ(remove_disk(sp, 7, "/logs-2").message(), "spec.brokers: no broker with id 7");
  EXPECT_EQ(sp, before);
  ASSERT_TRUE(remove_disk(sp, 1, "/logs-2").is_ok());
  EXPECT_TRUE(sp["brokers"][1]["brokerConfig"]["storageConfigs"].empty()) << "the list stays, empty";
}

TEST(edit_disks, resize_disk_grows_an_own_disk_or_copies_a_group_disk_to_the_broker) {
  auto sp = disks_spec();
  ASSERT_TRUE(resize_disk(sp, 1, {"/logs-2", "20Gi", "ignored"}).is_ok());
  EXPECT_EQ(sp["brokers"][1]["brokerConfig"]["storageConfigs"][0],
            json::parse(R"({"mountPath": "/logs-2", "pvcSpec": {"resources": {"requests": {"storage": "20Gi"}}}})"));
  ASSERT_TRUE(resize_disk(sp, 0, {"/logs-1", "30Gi", "fast"}).is_ok());
  EXPECT_EQ(sp["brokers"][0]["brokerConfig"]["storageConfigs"][0], storage_config_of({"/logs-1", "30Gi", "fast"}));
}

TEST(edit_disks, resize_disk_errors_leave_the_spec) {
  auto sp = disks_spec();
  sp["brokers"][1]["brokerConfig"]["storageConfigs"].push_back({{"mountPath", "/tmp"}, {"emptyDir", json::object()}});
  auto before = sp;
  EXPECT_EQ(resize_disk(sp, 7, {"/logs-2", "1Gi", ""}).message(), "spec.brokers: no broker with id 7");
  EXPECT_EQ(resize_disk(sp, 1, {"/logs-2", "", ""}).kind(), status_kind::invalid);
  EXPECT_EQ(resize_disk(sp, 1, {"/tmp", "1Gi", ""}).message(),
            "spec.brokers[1].brokerConfig.storageConfigs[1]: an emptyDir cannot be resized");
  EXPECT_EQ(sp, before);
}
