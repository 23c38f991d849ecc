// The public API's contract on misuse: clear errors, no crash, nothing started twice.
#include "kactor/runtime.hpp"

#include <gtest/gtest.h>

using namespace kactor::api;

TEST(embedded_runtime, misuse_returns_clear_errors) {
  runtime rt({});
  EXPECT_FALSE(rt.running());
  EXPECT_EQ(rt.add_disk("kafka", "kafka", 0, "/d", "1Gi").message(), "the runtime is not running");
  ASSERT_TRUE(rt.start().is_ok());
  EXPECT_EQ(rt.start().message(), "the runtime is already running");
  EXPECT_EQ(rt.remove_broker("kafka", "kafka", 1).message(), "no KafkaCluster kafka/kafka");
  EXPECT_EQ(rt.apply_cluster("kind: Pod\nmetadata: {name: x}\n").message(), "kind: expected KafkaCluster, got \"Pod\"");
  EXPECT_FALSE(rt.apply_cluster("{not yaml: [").is_ok());
  EXPECT_EQ(rt.add_disk("kafka", "kafka", 0, "relative", "1Gi").message(), "mount_path: must be an absolute path, got \"relative\"");
  EXPECT_EQ(rt.submit_alerts("{\"alerts\": 1}").message(), "alerts: expected an array of alerts");
  EXPECT_FALSE(rt.kubeconfig().empty());
  rt.stop();
  rt.stop();
  EXPECT_EQ(rt.start().message(), "a stopped runtime cannot be started again: create a new one");
  runtime bad(runtime_options{runtime_options::kubernetes::kubeconfig, "/nonexistent/kubeconfig"});
  auto st = bad.start();
  EXPECT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("/nonexistent/kubeconfig"), std::string::npos) << st.message();
}
