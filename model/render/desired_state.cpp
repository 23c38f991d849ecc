#include "model/render/desired_state.hpp"

#include "model/effective_broker.hpp"
#include "model/render/all_broker_service.hpp"
#include "model/render/broker_service.hpp"
#include "model/render/configmap.hpp"
#include "model/render/headless_service.hpp"
#include "model/render/metadata.hpp"
#include "model/render/pod.hpp"
#include "model/render/pod_disruption_budget.hpp"
#include "model/render/pvc.hpp"
#include "model/validate/kafka_cluster_validate.hpp"

namespace kactor::model {

std::vector<json> broker_objects::all() const {
  std::vector<json> out{pod, configmap};
  out.insert(out.end(), pvcs.begin(), pvcs.end());
  if (service)
    out.push_back(*service);
  return out;
}

std::vector<json> desired_state::all() const {
  std::vector<json> out = cluster_objects;
  for (const auto& [id, objects] : brokers) {
    auto more = objects.all();
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

result<broker_objects> render_broker(const kafka_cluster& c, int32_t id) {
  auto eb = make_effective_broker(c, id);
  if (!eb)
    return eb.error();
  broker_objects out;
  out.id = id;
  out.pod = render_pod(c, *eb);
  out.configmap = render_configmap(c, *eb);
  out.pvcs = render_pvcs(c, *eb);
  if (!c.spec.headless_service_enabled)
    out.service = render_broker_service(c, *eb);
  out.revision = out.pod["metadata"]["annotations"][revision_annotation].get<std::string>();
  return out;
}

result<desired_state> render_cluster(const kafka_cluster& c) {
  if (auto errs = validate_kafka_cluster(c); !errs.empty())
    return to_status(errs);
  desired_state out;
  if (c.spec.headless_service_enabled) {
    out.cluster_objects.push_back(render_headless_service(c));
    if (c.spec.k_raft)
      out.cluster_objects.push_back(render_controller_headless_service(c));
  }
  else
    out.cluster_objects.push_back(render_all_broker_service(c));
  if (auto pdb = render_pod_disruption_budget(c))
    out.cluster_objects.push_back(*pdb);
  for (const auto& b : c.spec.brokers) {
    auto objects = render_broker(c, b.id);
    if (!objects)
      return objects.error();
    out.brokers[b.id] = std::move(*objects);
  }
  return out;
}

} // namespace kactor::model
