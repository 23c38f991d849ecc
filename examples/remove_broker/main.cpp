// Embedding kactor: an in-process simulated Kubernetes cluster with kactor's operator, a 3-broker
// KafkaCluster, then broker 1 removed through the API; prints every event the runtime reports.
// Exit 0 when broker 1 was taken out (drained before deletion) and the misuse calls were refused.
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <set>

#include <kactor/runtime.hpp>

namespace {

const char* cluster_yaml = R"(
apiVersion: kafka.banzaicloud.io/v1beta1
kind: KafkaCluster
metadata:
  name: kafka
  namespace: kafka
spec:
  headlessServiceEnabled: true
  zkAddresses: ["zookeeper-client.zookeeper:2181"]
  oneBrokerPerNode: false
  clusterImage: "ghcr.io/adobe/koperator/kafka:2.13-3.9.1"
  brokerConfigGroups:
    default:
      storageConfigs:
        - mountPath: /kafka-logs
          pvcSpec:
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 10Gi}}
  brokers:
    - {id: 0, brokerConfigGroup: default}
    - {id: 1, brokerConfigGroup: default}
    - {id: 2, brokerConfigGroup: default}
  listenersConfig:
    internalListeners:
      - {type: plaintext, name: internal, containerPort: 29092, usedForInnerBrokerCommunication: true}
      - {type: plaintext, name: controller, containerPort: 29093, usedForControllerCommunication: true}
  cruiseControlConfig: {}
)";

} // namespace

int main() {
  kactor::api::runtime_options opts; // simulation by default
  kactor::api::runtime rt(opts);
  std::mutex mutex;
  std::condition_variable changed;
  std::set<int32_t> in_sync;
  bool removing = false;
  auto sub = rt.subscribe([&](const kactor::api::event& e) {
    std::cout << "event: " << kactor::api::to_string(e.what) << " " << e.namespace_ << "/" << e.cluster
              << (e.broker >= 0 ? " broker " + std::to_string(e.broker) : std::string{}) << ": " << e.detail << std::endl;
    std::lock_guard lock(mutex);
    if (e.what == kactor::api::event::kind::broker_state_changed && e.detail == "in_sync")
      in_sync.insert(e.broker);
    if (e.what == kactor::api::event::kind::broker_state_changed && e.broker == 1 && e.detail == "removing")
      removing = true;
    changed.notify_all();
  });
  auto fail = [&](const std::string& what) {
    std::cerr << "FAILED: " << what << std::endl;
    return 1;
  };
  if (auto st = rt.remove_broker("kafka", "kafka", 1); st.is_ok() || st.message() != "the runtime is not running")
    return fail("a call before start() is refused");
  if (auto st = rt.start(); !st.is_ok())
    return fail("start: " + st.message());
  if (auto st = rt.start(); st.is_ok())
    return fail("starting twice is refused");
  else
    std::cout << "start twice: " << st.message() << std::endl;
  if (auto st = rt.apply_cluster(cluster_yaml); !st.is_ok())
    return fail("apply_cluster: " + st.message());
  {
    std::unique_lock lock(mutex);
    if (!changed.wait_for(lock, std::chrono::seconds(60), [&] { return in_sync.size() == 3; }))
      return fail("three brokers in sync");
  }
  if (auto st = rt.create_topic("kafka", "kafka", "orders", 6, 3, 2); !st.is_ok())
    return fail("create_topic: " + st.message());
  auto unknown = rt.remove_broker("kafka", "kafka", 7);
  std::cout << "remove broker 7: " << unknown.message() << std::endl;
  if (unknown.is_ok())
    return fail("an unknown broker is refused");
  auto missing = rt.remove_broker("kafka", "nope", 1);
  std::cout << "remove a broker of kafka/nope: " << missing.message() << std::endl;
  if (missing.is_ok())
    return fail("a cluster that does not exist is refused");
  if (auto st = rt.remove_broker("kafka", "kafka", 1); !st.is_ok())
    return fail("remove_broker: " + st.message());
  {
    std::unique_lock lock(mutex);
    if (!changed.wait_for(lock, std::chrono::seconds(30), [&] { return removing; }))
      return fail("broker 1 is being removed");
  }
  rt.stop();
  std::cout << "ok: broker 1 leaves the cluster (drained before anything is deleted)" << std::endl;
  return 0;
}
