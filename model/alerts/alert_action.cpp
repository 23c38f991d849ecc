#include "model/alerts/alert_action.hpp"

#include <algorithm>
#include <set>

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

json record(const json& cr) {
  auto text = cr.value("/metadata/annotations"_json_pointer, json::object()).value(alerts_acted_on_annotation, "");
  auto parsed = json::parse(text.empty() ? "{}" : text, nullptr, false);
  return parsed.is_object() ? parsed : json::object();
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
  cr["metadata"]["annotations"][alerts_acted_on_annotation] = rec.dump();
  cr.erase("status");
  return {kind::act, std::move(cr), std::move(message)};
}

json* broker_entry(json& cr, const std::string& id) {
  for (auto& b : cr["spec"]["brokers"])
    if (b.is_object() && b.contains("id") && std::to_string(b["id"].get<int64_t>()) == id)
      return &b;
  return nullptr;
}

/// Every mountPath the broker uses (its own storageConfigs and its group's).
std::set<std::string> mount_paths(const json& cr, const json& broker) {
  std::set<std::string> out;
  auto add = [&](const json& list) {
    if (list.is_array())
      for (const auto& s : list)
        if (s.is_object())
          out.insert(s.value("mountPath", ""));
  };
  add(broker.value("/brokerConfig/storageConfigs"_json_pointer, json::array()));
  auto group = broker.value("brokerConfigGroup", "");
  if (!group.empty())
    add(cr.value("/spec/brokerConfigGroups"_json_pointer, json::object()).value(group, json::object()).value("storageConfigs", json::array()));
  return out;
}

json storage_config(const std::string& mount, const std::string& size, const std::string& storage_class) {
  json pvc = {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", size}}}}}};
  if (!storage_class.empty())
    pvc["storageClassName"] = storage_class;
  return {{"mountPath", mount}, {"pvcSpec", pvc}};
}

/// The PVC named by the alert, checked to belong to this cluster; sets `broker` to its brokerId.
const json* alert_pvc(const alert_occurrence& a, const alert_context& ctx, std::string& broker, std::string& why) {
  auto name = get(a.labels, "persistentvolumeclaim");
  auto it = ctx.pvcs.find(name);
  if (name.empty() || it == ctx.pvcs.end()) {
    why = name.empty() ? "label persistentvolumeclaim missing" : "PVC " + name + " is not one of this cluster's";
    return nullptr;
  }
  broker = it->second.value("/metadata/labels/brokerId"_json_pointer, json("")).get<std::string>();
  if (broker.empty())
    why = "PVC " + name + " has no brokerId label";
  return broker.empty() ? nullptr : &it->second;
}

alert_decision add_pvc(const alert_occurrence& a, const alert_context& ctx) {
  std::string broker = get(a.labels, "brokerId"), why;
  if (broker.empty() && !alert_pvc(a, ctx, broker, why))
    return skip("addPvc: " + why);
  auto prefix = get(a.annotations, "mountPathPrefix"), size = get(a.annotations, "diskSize");
  if (prefix.empty() || size.empty())
    return skip(std::string{"addPvc: annotation "} + (prefix.empty() ? "mountPathPrefix" : "diskSize") + " missing");
  if (!parse_quantity(size).is_ok())
    return skip("addPvc: annotation diskSize: \"" + size + "\" is not a quantity");
  json cr = ctx.cr;
  json* b = broker_entry(cr, broker);
  if (!b)
    return skip("addPvc: broker " + broker + " is not in the spec");
  auto used = mount_paths(cr, *b);
  int n = 1;
  while (used.count(prefix + "-" + std::to_string(n)))
    ++n;
  auto mount = prefix + "-" + std::to_string(n);
  auto& list = (*b)["brokerConfig"]["storageConfigs"];
  if (!list.is_array())
    list = json::array();
  list.push_back(storage_config(mount, size, get(a.annotations, "storageClass")));
  return act(std::move(cr), a, ctx.now, "addPvc: broker " + broker + " gets disk " + mount + " (" + size + ")");
}

alert_decision resize_pvc(const alert_occurrence& a, const alert_context& ctx) {
  std::string broker, why;
  const json* pvc = alert_pvc(a, ctx, broker, why);
  if (!pvc)
    return skip("resizePvc: " + why);
  auto by = parse_quantity(get(a.annotations, "incrementBy"));
  auto mount = pvc->value("/metadata/annotations/mountPath"_json_pointer, json("")).get<std::string>();
  auto current = parse_quantity(pvc->value("/spec/resources/requests/storage"_json_pointer, json("")).get<std::string>());
  if (!by.is_ok() || !current.is_ok() || mount.empty())
    return skip(!by.is_ok() ? "resizePvc: annotation incrementBy is not a quantity" : "resizePvc: the PVC has no size or mountPath");
  auto bytes = std::to_string(static_cast<long long>(current.value().value + by.value().value));
  json cr = ctx.cr;
  json* b = broker_entry(cr, broker);
  if (!b)
    return skip("resizePvc: broker " + broker + " is not in the spec");
  auto& list = (*b)["brokerConfig"]["storageConfigs"];
  if (!list.is_array())
    list = json::array();
  auto it = std::find_if(list.begin(), list.end(), [&](const json& s) { return s.value("mountPath", "") == mount; });
  if (it == list.end()) {
    list.push_back(storage_config(mount, bytes, pvc->value("/spec/storageClassName"_json_pointer, json("")).get<std::string>()));
  } else {
    (*it)["pvcSpec"]["resources"]["requests"]["storage"] = bytes;
  }
  return act(std::move(cr), a, ctx.now, "resizePvc: broker " + broker + " disk " + mount + " grows to " + bytes + " bytes");
}

alert_decision up_scale(const alert_occurrence& a, const alert_context& ctx) {
  json cr = ctx.cr;
  auto& brokers = cr["spec"]["brokers"];
  int64_t next = 0;
  for (const auto& b : brokers)
    next = std::max(next, b.value("id", int64_t{-1}) + 1);
  auto limit = cr.value("/spec/alertManagerConfig/upScaleLimit"_json_pointer, json(0)).get<int64_t>();
  if (limit > 0 && int64_t(brokers.size()) + 1 > limit)
    return skip("upScale: upScaleLimit " + std::to_string(limit) + " reached");
  json entry = {{"id", next}};
  auto group = get(a.annotations, "brokerConfigGroup");
  if (group.empty() && !brokers.empty())
    group = brokers[0].value("brokerConfigGroup", "");
  if (!group.empty())
    entry["brokerConfigGroup"] = group;
  if (auto image = get(a.annotations, "image"); !image.empty())
    entry["brokerConfig"]["image"] = image;
  auto mount = get(a.annotations, "mountPath"), size = get(a.annotations, "diskSize");
  if (!mount.empty() && !size.empty())
    entry["brokerConfig"]["storageConfigs"] = json::array({storage_config(mount, size, get(a.annotations, "storageClass"))});
  brokers.push_back(entry);
  return act(std::move(cr), a, ctx.now, "upScale: broker " + std::to_string(next) + " added");
}

alert_decision down_scale(const alert_occurrence& a, const alert_context& ctx) {
  json cr = ctx.cr;
  auto& brokers = cr["spec"]["brokers"];
  auto limit = std::max<int64_t>(1, cr.value("/spec/alertManagerConfig/downScaleLimit"_json_pointer, json(1)).get<int64_t>());
  if (int64_t(brokers.size()) - 1 < limit)
    return skip("downScale: downScaleLimit " + std::to_string(limit) + " reached");
  auto id = get(a.labels, "brokerId");
  if (id.empty()) {
    if (ctx.replicas_per_broker.empty())
      return skip("downScale: no brokerId label and Kafka's replica counts are unknown");
    int64_t fewest = INT64_MAX;
    for (const auto& b : brokers) {
      auto bid = b.value("id", int64_t{-1});
      auto it = ctx.replicas_per_broker.find(int32_t(bid));
      int64_t n = it == ctx.replicas_per_broker.end() ? 0 : it->second;
      if (n < fewest) {
        fewest = n;
        id = std::to_string(bid);
      }
    }
  }
  auto it = std::find_if(brokers.begin(), brokers.end(), [&](const json& b) { return std::to_string(b.value("id", int64_t{-1})) == id; });
  if (it == brokers.end())
    return skip("downScale: broker " + id + " is not in the spec");
  brokers.erase(it);
  return act(std::move(cr), a, ctx.now, "downScale: broker " + id + " removed from the spec (drained before deletion)");
}

std::string pending_operation(const json& cr) {
  auto states = cr.value("/status/brokersState"_json_pointer, json::object());
  for (const auto& [id, b] : states.items()) {
    auto st = b.value("/gracefulActionState/cruiseControlState"_json_pointer, json("")).get<std::string>();
    if (st.find("Required") != std::string::npos || st.find("Running") != std::string::npos || st.find("Scheduled") != std::string::npos)
      return "broker " + id + " is " + st;
  }
  return {};
}

} // namespace

int64_t rfc3339_seconds(const std::string& t) {
  int y, mo, d, h, mi, s;
  if (t.size() < 19 || std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return -1;
  // Days from the civil date (Howard Hinnant's algorithm), then seconds.
  y -= mo <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

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
