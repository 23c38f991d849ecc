// The kactor::sim component: the simulated control plane (sim/world) behind detail::simulated_cluster,
// registered with the embedded runtime when this file is linked (the package's kactor::sim target forces
// it in with the linker's --undefined=kactor_embed_sim_anchor).
#include "runtime/embed/simulated_cluster.hpp"

#include "sim/world/control_plane.hpp"

namespace kactor::api::detail {

namespace {


class plane_cluster : public simulated_cluster {
public:
  explicit plane_cluster(std::unique_ptr<sim::control_plane> plane) : plane_(std::move(plane)) {}
  ~plane_cluster() override { plane_->stop(); }

  std::string api_url() const override { return plane_->api().url(); }
  std::string kubeconfig() const override { return plane_->api().kubeconfig(); }
  integrations::kafka::admin_factory kafka_admins() override { return plane_->kafka().admin_factory(); }
  integrations::cruisecontrol::cruise_control_factory cruise_controls() override { return plane_->cruise_control_factory(); }
  void on_below_min_isr(std::function<void(const std::string&, const std::string&, const std::string&)> f) override {
    plane_->kafka().on_change([f = std::move(f)](const sim::sim_cluster_view& v) {
      for (const auto& part : v.below_min_isr())
        f(v.namespace_, v.name, part);
    });
  }
  model::status create_topic(const std::string& ns, const std::string& cluster, const std::string& topic, int partitions,
                             int replication_factor, int min_insync_replicas) override {
    auto r = plane_->kafka().create_topic(ns, cluster, {topic, partitions, replication_factor, min_insync_replicas, 0});
    return r.is_ok() ? model::status::ok() : model::status::invalid(r.error().to_string());
  }
  void stop() override { plane_->stop(); }

private:
  std::unique_ptr<sim::control_plane> plane_;
};

model::result<std::unique_ptr<simulated_cluster>> start_plane(const simulated_cluster_options& o) {
  sim::control_plane_options co;
  co.kubelet.nodes.clear();
  for (int i = 1; i <= o.nodes; ++i)
    co.kubelet.nodes.push_back({"node-" + std::to_string(i), std::string{"zone-"} + char('a' + (i - 1) % 3)});
  // Short delays: an embedder's simulated brokers are Ready in well under a second.
  co.kubelet.start_delay = co.kubelet.ready_delay = co.kubelet.terminate_delay = std::chrono::milliseconds{200};
  co.kubelet.tick = std::chrono::milliseconds{20};
  co.kafka.catch_up = std::chrono::milliseconds{300};
  auto plane = sim::control_plane::start(co);
  if (!plane.is_ok())
    return plane.error();
  return std::unique_ptr<simulated_cluster>(new plane_cluster(std::move(plane.value())));
}

const bool registered = (start_simulated_cluster = &start_plane, true);

} // namespace

} // namespace kactor::api::detail

/// Referenced by the linker option of kactor::sim so that this file is linked from the static archive.
extern "C" {
int kactor_embed_sim_anchor = 0;
}
