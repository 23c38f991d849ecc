#include "actors/cluster/cluster_config.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "model/diff/dynamic_config.hpp"
#include "model/render/all_broker_service.hpp"
#include "model/render/server_properties.hpp"

namespace kactor::actors {

using namespace messages;

void aim_admin(cluster_state& st, const model::kafka_cluster& c) {
  if (!st.kube->kafka_admins)
    return;
  if (!st.admin)
    st.admin = std::make_shared<cluster_admin>(st.kube->kafka_admins);
  st.admin->aim({c.metadata.namespace_, c.metadata.name, model::all_broker_address(c)});
}

void reconcile_cluster_config(cluster_self self, const model::kafka_cluster& c) {
  auto& st = self->state;
  bool any_ready = std::any_of(st.reports.begin(), st.reports.end(), [](const auto& r) { return r.second.pod_ready; });
  auto desired = model::desired_cluster_wide_config(c);
  if (!st.admin || !any_ready || !desired.is_ok())
    return;
  auto generation = st.config.begin(model::render_properties(desired.value()));
  if (generation == 0)
    return;
  cluster_actor handle = self;
  start_config_reconcile(st.admin, integrations::kafka::config_resource::cluster_default(), desired.value(), generation,
                         [handle](config_reconciled r) { caf::anon_send(handle, std::move(r)); });
}

void on_config_reconciled(cluster_self self, const config_reconciled& r) {
  auto& st = self->state;
  if (!st.config.finish(r))
    return;
  if (r.outcome == config_outcome::retry)
    self->delayed_send(self, st.kube->settings.kafka_poll, pass_atom::value);
  if (r.outcome == config_outcome::refused)
    spdlog::warn("cluster {}/{}: clusterWideConfig refused: {}", st.ns, st.name_, r.message);
  queue_pass(self);
}

} // namespace kactor::actors
