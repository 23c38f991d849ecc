#include "model/alerts/alert_action.hpp"

#include <algorithm>
#include <optional>

#include "model/edit/brokers.hpp"
#include "model/edit/disks.hpp"
#include "model/identity.hpp"
#include "model/json_read.hpp"
#include "model/quantity.hpp"

// Decisions the header leaves open:
// - The acted-on annotation keeps the newest 100 occurrences (by time acted), so it stays small; an alert
//   older than that re-firing with the same startsAt would be acted on again, which Alertmanager does not do.
// - The cooldown is measured from the newest acted-on time of a scaling command (addPvc and resizePvc
//   included: each changes the cluster's shape), across every alert.

namespace kactor::model {

namespace {

using kind = alert_decision::kind;

alert_decision skip(std::string why) { return {kind::skip, {}, std::move(why)}; }
alert_decision ignore(std::string why) { return {kind::ignore, {}, std::move(why)}; }

std::string get(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

// The CR is user-edited, so no read may throw: every read goes through model/json_read.
json record(const json& cr) {
  auto text = string_or(cr, "/metadata/annotations"_json_pointer / alerts_acted_on_annotation);
  auto parsed = json::parse(text.empty() ? "{}" : text, nullptr, false);
  if (!parsed.is_object())
    return json::object();
  for (auto it = parsed.begin(); it != parsed.end();) // hand-edited entries that are not times are dropped
    it = it.value().is_string() ? std::next(it) : parsed.erase(it);
  return parsed;
}

/// `a`'s annotation `key` when spec.alertManagerConfig.allowedAnnotations lists it; else "" and `ignored`
/// names it (the caller's message says the group's value applied).
std::string chosen(const alert_occurrence& a, const json& cr, const char* key, std::vector<std::string>& ignored) {
  auto value = get(a.annotations, key);
  if (value.empty())
    return value;
  for (const auto& v : array_or_empty(cr, "/spec/alertManagerConfig/allowedAnnotations"_json_pointer))
      if (v.is_string() && v.get<std::string>() == key)
        return value;
  ignored.push_back(key);
  return {};
}

std::string ignored_note(const std::vector<std::string>& ignored) {
  if (ignored.empty())
    return {};
  std::string names;
  for (const auto& n : ignored)
    names += (names.empty() ? "" : ", ") + n;
  return " (annotations " + names + " ignored: spec.alertManagerConfig.allowedAnnotations does not list them)";
}

int64_t last_action(const json& rec) {
  int64_t last = -1;
  for (const auto& [k, v] : rec.items())
    if (v.is_string())
      last = std::max(last, rfc3339_seconds(v.get<std::string>()));
  return last;
}

/// The CR with the spec edit already made in `cr`, plus the occurrence recorded.
alert_decision act(json cr, const alert_occurrence& a, const std::string& now, std::string message) {
  auto rec = record(cr);
  rec[a.key()] = now;
  while (rec.size() > 100) { // drop the oldest
    auto oldest = rec.begin();
    for (auto it = rec.begin(); it != rec.end(); ++it)
      if (it.value().get<std::string>() < oldest.value().get<std::string>())
        oldest = it;
    rec.erase(oldest.key());
  }
  if (!cr["metadata"].is_object())
    cr["metadata"] = json::object();
  if (!cr["metadata"]["annotations"].is_object()) // annotations of another type: replaced, never thrown on
    cr["metadata"]["annotations"] = json::object();
  cr["metadata"]["annotations"][alerts_acted_on_annotation] = rec.dump();
  cr.erase("status");
  return {kind::act, std::move(cr), std::move(message)};
}

/// The broker an alert's brokerId label names; `why` says what is wrong when there is none.
std::optional<int32_t> label_broker(const alert_occurrence& a, std::string& why) {
  auto text = get(a.labels, broker_id_label);
  auto id = parse_broker_id(text);
  if (!id)
    why = std::string{"label "} + broker_id_label + ": \"" + text + "\" is not a broker id";
  return id;
}

/// The PVC named by the alert, checked to belong to this cluster; sets `broker` to its brokerId label.
const json* alert_pvc(const alert_occurrence& a, const alert_context& ctx, int32_t& broker, std::string& why) {
  auto name = get(a.labels, "persistentvolumeclaim");
  auto it = ctx.pvcs.find(name);
  if (name.empty() || it == ctx.pvcs.end()) {
    why = name.empty() ? "label persistentvolumeclaim missing" : "PVC " + name + " is not one of this cluster's";
    return nullptr;
  }
  auto id = broker_identity_of(it->second).broker_id;
  if (!id)
    why = "PVC " + name + " has no brokerId label";
  broker = id.value_or(-1);
  return id ? &it->second : nullptr;
}

alert_decision add_pvc(const alert_occurrence& a, const alert_context& ctx) {
  int32_t broker = -1;
  std::string why;
  if (get(a.labels, broker_id_label).empty()) {
    if (!alert_pvc(a, ctx, broker, why))
      return skip("addPvc: " + why);
  } else if (auto id = label_broker(a, why)) {
    broker = *id;
  } else {
    return skip("addPvc: " + why);
  }
  auto prefix = get(a.annotations, "mountPathPrefix"), size = get(a.annotations, "diskSize");
  if (prefix.empty() || size.empty())
    return skip(std::string{"addPvc: annotation "} + (prefix.empty() ? "mountPathPrefix" : "diskSize") + " missing");
  if (!parse_quantity(size).is_ok())
    return skip("addPvc: annotation diskSize: \"" + size + "\" is not a quantity");
  json cr = ctx.cr;
  auto mount = free_mount_path(cr["spec"], broker, prefix);
  if (!mount)
    return skip("addPvc: " + mount.error().message());
  std::vector<std::string> ignored;
  if (auto st = add_disk(cr["spec"], broker, {*mount, size, chosen(a, ctx.cr, "storageClass", ignored)}); !st.is_ok())
    return skip("addPvc: " + st.message());
  return act(std::move(cr), a, ctx.now,
             "addPvc: broker " + std::to_string(broker) + " gets disk " + *mount + " (" + size + ")" + ignored_note(ignored));
}

alert_decision resize_pvc(const alert_occurrence& a, const alert_context& ctx) {
  int32_t broker = -1;
  std::string why;
  const json* pvc = alert_pvc(a, ctx, broker, why);
  if (!pvc)
    return skip("resizePvc: " + why);
  auto by = parse_quantity(get(a.annotations, "incrementBy"));
  auto mount = broker_identity_of(*pvc).mount_path;
  auto current = parse_quantity(string_or(*pvc, "/spec/resources/requests/storage"_json_pointer));
  if (!by.is_ok() || !current.is_ok() || mount.empty())
    return skip(!by.is_ok() ? "resizePvc: annotation incrementBy is not a quantity" : "resizePvc: the PVC has no size or mountPath");
  auto bytes = std::to_string(static_cast<long long>(current.value().value + by.value().value));
  json cr = ctx.cr;
  auto storage_class = string_or(*pvc, "/spec/storageClassName"_json_pointer);
  if (auto st = resize_disk(cr["spec"], broker, {mount, bytes, storage_class}); !st.is_ok())
    return skip("resizePvc: " + st.message());
  return act(std::move(cr), a, ctx.now, "resizePvc: broker " + std::to_string(broker) + " disk " + mount + " grows to " + bytes + " bytes");
}

alert_decision up_scale(const alert_occurrence& a, const alert_context& ctx) {
  json cr = ctx.cr;
  auto& spec = cr["spec"];
  auto set_limit = find_int(cr, "/spec/alertManagerConfig/upScaleLimit"_json_pointer).value_or(0);
  auto limit = set_limit > 0 ? set_limit : default_up_scale_limit;
  if (int64_t(broker_count(spec)) + 1 > limit)
    return skip("upScale: upScaleLimit " + std::to_string(limit) + (set_limit > 0 ? "" : " (the default)") + " reached");
  std::vector<std::string> ignored;
  new_broker nb{next_broker_id(spec), get(a.annotations, "brokerConfigGroup"), chosen(a, ctx.cr, "image", ignored), {}};
  if (nb.config_group.empty())
    nb.config_group = first_broker_group(spec);
  auto mount = chosen(a, ctx.cr, "mountPath", ignored), size = chosen(a, ctx.cr, "diskSize", ignored);
  auto storage_class = chosen(a, ctx.cr, "storageClass", ignored);
  if (!mount.empty() && !size.empty())
    nb.disks.push_back({mount, size, storage_class});
  if (auto st = add_broker(spec, nb); !st.is_ok())
    return skip("upScale: " + st.message());
  return act(std::move(cr), a, ctx.now, "upScale: broker " + std::to_string(nb.id) + " added" + ignored_note(ignored));
}

/// The broker holding the fewest replicas (one Kafka does not know holds none); -1 when the spec has none.
int32_t least_loaded(const json& spec, const std::map<int32_t, int64_t>& replicas) {
  int64_t fewest = INT64_MAX;
  int32_t id = -1;
  if (!spec.is_object())
    return id;
  for (const auto& b : array_or_empty(spec, "brokers")) {
    auto read = find_int(b, "id");
    if (!read || *read < 0 || *read > INT32_MAX)
      continue;
    auto bid = int32_t(*read);
    auto it = replicas.find(bid);
    int64_t n = it == replicas.end() ? 0 : it->second;
    if (n < fewest) {
      fewest = n;
      id = bid;
    }
  }
  return id;
}

alert_decision down_scale(const alert_occurrence& a, const alert_context& ctx) {
  json cr = ctx.cr;
  auto& spec = cr["spec"];
  if (!ctx.largest_replication_factor || !ctx.largest_min_isr) {
    auto d = skip("downScale: Kafka's replication factors and min.insync.replicas are unknown");
    d.needs_kafka = true;
    return d;
  }
  auto limit = std::max<int64_t>(1, find_int(cr, "/spec/alertManagerConfig/downScaleLimit"_json_pointer).value_or(1));
  auto remaining = int64_t(broker_count(spec)) - 1;
  if (remaining < limit)
    return skip("downScale: downScaleLimit " + std::to_string(limit) + " reached");
  if (remaining < *ctx.largest_replication_factor)
    return skip("downScale: " + std::to_string(remaining) + " brokers could not hold a partition of replication factor "
                + std::to_string(*ctx.largest_replication_factor));
  if (remaining < *ctx.largest_min_isr + 1)
    return skip("downScale: " + std::to_string(remaining) + " brokers leave no room above min.insync.replicas "
                + std::to_string(*ctx.largest_min_isr) + " (one broker down would stop writes)");
  int32_t id = -1;
  if (std::string why; !get(a.labels, broker_id_label).empty()) {
    auto labelled = label_broker(a, why);
    if (!labelled)
      return skip("downScale: " + why);
    id = *labelled;
  } else {
    if (ctx.replicas_per_broker.empty()) {
      auto d = skip("downScale: no brokerId label and Kafka's replica counts are unknown");
      d.needs_kafka = true;
      return d;
    }
    id = least_loaded(spec, ctx.replicas_per_broker);
  }
  if (auto st = remove_broker(spec, id); !st.is_ok())
    return skip("downScale: " + st.message());
  return act(std::move(cr), a, ctx.now, "downScale: broker " + std::to_string(id) + " removed from the spec (drained before deletion)");
}

bool in_progress(const std::string& state) {
  return state.find("Required") != std::string::npos || state.find("Running") != std::string::npos
         || state.find("Scheduled") != std::string::npos;
}

/// A broker or one of its disks whose Cruise Control operation has not finished (Koperator, too, acts on
/// no alert while a task is pending or running): an added disk is empty until its rebalance has run, and
/// the alert of a full disk beside it must not add another.
std::string pending_operation(const json& cr) {
  for (const auto& [id, b] : object_or_empty(cr, "/status/brokersState"_json_pointer).items()) {
    auto st = string_or(b, "/gracefulActionState/cruiseControlState"_json_pointer);
    if (in_progress(st))
      return "broker " + id + " is " + st;
    for (const auto& [mount, v] : object_or_empty(b, "/gracefulActionState/volumeStates"_json_pointer).items())
      if (auto vs = string_or(v, "/cruiseControlVolumeState"_json_pointer); in_progress(vs))
        return "broker " + id + " disk " + mount + " is " + vs;
  }
  return {};
}

} // namespace

bool acted_on(const json& cr, const alert_occurrence& a) {
  return record(cr).contains(a.key());
}

alert_decision decide_alert(const alert_occurrence& a, const alert_context& ctx) {
  auto command = get(a.annotations, "command");
  if (command.empty())
    return ignore("no command");
  if (acted_on(ctx.cr, a))
    return ignore("already acted on " + a.key());
  if (command != "addPvc" && command != "resizePvc" && command != "upScale" && command != "downScale")
    return skip("unknown command \"" + command + "\"");
  if (auto pending = pending_operation(ctx.cr); !pending.empty())
    return skip(command + ": waiting for pending operations (" + pending + ")");
  auto last = last_action(record(ctx.cr));
  auto now = rfc3339_seconds(ctx.now);
  if (last >= 0 && now >= 0 && now - last < ctx.cooldown_seconds)
    return skip(command + ": cooling down for " + std::to_string(ctx.cooldown_seconds - (now - last)) + " s after the last action");
  if (command == "addPvc")
    return add_pvc(a, ctx);
  if (command == "resizePvc")
    return resize_pvc(a, ctx);
  if (command == "upScale")
    return up_scale(a, ctx);
  return down_scale(a, ctx);
}

} // namespace kactor::model
