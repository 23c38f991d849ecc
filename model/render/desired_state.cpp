#include "model/render/desired_state.hpp"

#include <algorithm>

#include "model/effective_broker.hpp"
#include "model/hash.hpp"
#include "model/parse/kafka_cluster_io.hpp"
#include "model/render/all_broker_service.hpp"
#include "model/render/broker_service.hpp"
#include "model/render/configmap.hpp"
#include "model/render/cruise_control_configmap.hpp"
#include "model/render/cruise_control_deployment.hpp"
#include "model/render/cruise_control_service.hpp"
#include "model/render/headless_service.hpp"
#include "model/render/metadata.hpp"
#include "model/render/pod.hpp"
#include "model/render/jmx_exporter_configmap.hpp"
#include "model/render/pod_disruption_budget.hpp"
#include "model/render/pvc.hpp"
#include "model/render/server_properties.hpp"
#include "model/validate/kafka_cluster_validate.hpp"

namespace kactor::model {

std::vector<json> broker_objects::all() const {
  std::vector<json> out{pod, configmap};
  out.insert(out.end(), pvcs.begin(), pvcs.end());
  if (service)
    out.push_back(*service);
  return out;
}

std::string to_text(const broker_objects& b) {
  json out = {{"id", b.id}, {"pod", b.pod}, {"configmap", b.configmap}, {"pvcs", b.pvcs}, {"revision", b.revision}};
  if (b.service)
    out["service"] = *b.service;
  if (!b.rack_labels.empty())
    out["rackLabels"] = b.rack_labels;
  return out.dump();
}

result<broker_objects> broker_objects_from_text(std::string_view text) {
  auto doc = json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("pod") || !doc.contains("configmap") || !doc["pvcs"].is_array()
      || !doc["id"].is_number_integer() || !doc["revision"].is_string())
    return status::invalid("broker objects: not the text of to_text");
  broker_objects b;
  b.id = doc["id"].get<int32_t>();
  b.pod = std::move(doc["pod"]);
  b.configmap = std::move(doc["configmap"]);
  for (auto& p : doc["pvcs"])
    b.pvcs.push_back(std::move(p));
  if (doc.contains("service"))
    b.service = std::move(doc["service"]);
  b.revision = doc["revision"].get<std::string>();
  if (doc.contains("rackLabels") && doc["rackLabels"].is_array())
    for (const auto& l : doc["rackLabels"])
      if (l.is_string())
        b.rack_labels.push_back(l.get<std::string>());
  return b;
}

std::vector<json> desired_state::all() const {
  std::vector<json> out = cluster_objects;
  for (const auto& [id, objects] : brokers) {
    auto more = objects.all();
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

namespace {

/// Puts the kept disks back and orders the disks as the running pod has them.
void keep_disks(effective_broker& b, const kept_disks& k) {
  auto& disks = b.config.storage_configs;
  for (const auto& d : k.disks)
    if (std::none_of(disks.begin(), disks.end(), [&](const storage_config& s) { return s.mount_path == d.mount_path; }))
      disks.push_back(d);
  auto rank = [&](const storage_config& s) {
    auto it = std::find(k.order.begin(), k.order.end(), s.mount_path);
    return it == k.order.end() ? k.order.size() : size_t(it - k.order.begin());
  };
  std::stable_sort(disks.begin(), disks.end(), [&](const storage_config& a, const storage_config& z) { return rank(a) < rank(z); });
}

} // namespace

result<broker_objects> render_broker(const kafka_cluster& c, int32_t id, const render_overrides& o) {
  auto eb = make_effective_broker(c, id);
  if (!eb)
    return eb.error();
  if (auto k = o.keep.find(id); k != o.keep.end())
    keep_disks(*eb, k->second);
  broker_objects out;
  out.id = id;
  out.pod = render_pod(c, *eb);
  out.configmap = render_configmap(c, *eb);
  out.pvcs = render_pvcs(c, *eb);
  if (!c.spec.headless_service_enabled)
    out.service = render_broker_service(c, *eb);
  out.revision = out.pod["metadata"]["annotations"][revision_annotation].get<std::string>();
  out.rack_labels = rack_labels_from_node(c, *eb);
  return out;
}

result<desired_state> render_cluster(const kafka_cluster& c, const render_overrides& o) {
  if (auto errs = validate_kafka_cluster(c); !errs.empty())
    return to_status(errs);
  desired_state out;
  out.cluster_objects = render_cluster_objects(c);
  for (const auto& b : c.spec.brokers) {
    auto objects = render_broker(c, b.id, o);
    if (!objects)
      return objects.error();
    out.brokers[b.id] = std::move(*objects);
  }
  return out;
}

std::vector<json> render_cluster_objects(const kafka_cluster& c) {
  std::vector<json> out;
  if (c.spec.headless_service_enabled) {
    out.push_back(render_headless_service(c));
    if (c.spec.k_raft)
      out.push_back(render_controller_headless_service(c));
  }
  else
    out.push_back(render_all_broker_service(c));
  if (auto pdb = render_pod_disruption_budget(c))
    out.push_back(*pdb);
  if (auto exporter = render_jmx_exporter_configmap(c))
    out.push_back(*exporter);
  // Cruise Control, when the cluster names none: its ConfigMap before the Deployment that mounts it.
  if (auto cc = render_cruise_control_configmap(c))
    out.push_back(*cc);
  if (auto cc = render_cruise_control_service(c))
    out.push_back(*cc);
  if (auto cc = render_cruise_control_deployment(c))
    out.push_back(*cc);
  return out;
}

uint64_t render_inputs_digest(const kafka_cluster& c) {
  kafka_cluster inputs;
  inputs.metadata = c.metadata;
  inputs.metadata.resource_version.clear(); // changes with every status write; rendered nowhere
  inputs.metadata.generation.reset();
  inputs.spec = c.spec;
  inputs.status.cluster_id = c.status.cluster_id; // the only status field rendered (KRaft pods)
  return fnv1a64(to_json(inputs).dump());
}

uint64_t broker_render_digest(uint64_t inputs_digest, int32_t id, const render_overrides& o) {
  json in = {inputs_digest, id};
  if (auto k = o.keep.find(id); k != o.keep.end()) {
    json disks = json::array();
    for (const auto& d : k->second.disks)
      disks.push_back({d.mount_path, d.pvc_spec.value_or(json{}), d.empty_dir.value_or(json{})});
    in.push_back(std::move(disks));
    in.push_back(k->second.order);
  }
  return fnv1a64(in.dump());
}

} // namespace kactor::model
