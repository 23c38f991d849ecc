#include "actors/alert_actor.hpp"
#include "model/json_read.hpp"

#include <set>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "actors/kafka_calls.hpp"
#include "actors/retry_policy.hpp"
#include "model/parse/kafka_cluster_io.hpp"
#include "model/render/all_broker_service.hpp"
#include "model/identity.hpp"
#include "model/render/metadata.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;
namespace k8s = integrations::kubernetes;

struct alert_state {
  static inline const char* name = "kactor.alerts";
  kube_ports kube;
  std::map<std::string, model::alert_occurrence> firing; ///< by fingerprint
  std::set<std::string> done;                            ///< occurrences acted on or ignored for good
  std::set<std::string> writing;                         ///< clusters ("ns/name") with a write in flight
  /// Clusters to decide again once their write is answered although no alert of theirs may fire any more:
  /// an alert resolved while a write was in flight still has to take its counts down.
  std::set<std::string> recount;
  std::map<std::string, std::string> skipped;            ///< fingerprint → the reason last told in an Event
  std::map<std::string, std::map<int32_t, int64_t>> replicas; ///< cluster → replicas per broker (downScale)
  /// cluster → Kafka's largest replication factor and min.insync.replicas (downScale's floor)
  std::map<std::string, std::pair<int32_t, int32_t>> largest;
  std::set<std::string> describing;
  std::map<uint64_t, std::string> describe_for;
  uint64_t next_describe = 1;
  bool tick_scheduled = false;
  uint64_t flaw_deliveries = 0; ///< test-only (alert_every_delivery): repeats made new occurrences
};

using alert_self = alert_actor::stateful_pointer<alert_state>;

namespace {

/// The key of a write to the KafkaCluster "ns/name" (`cluster`).
write_key cluster_write(write_verb verb, const std::string& cluster) {
  auto slash = cluster.find('/');
  return {verb, model::resource_kind::kafka_cluster, cluster.substr(0, slash), cluster.substr(slash + 1)};
}

std::string label(const model::alert_occurrence& a, const char* key) {
  auto it = a.labels.find(key);
  return it == a.labels.end() ? "" : it->second;
}

/// "ns/name" of the alert's KafkaCluster: its kafka_cr label, or the kafka_cr label of its PVC.
std::string cluster_of(const alert_state& st, const model::alert_occurrence& a) {
  auto ns = label(a, "namespace");
  auto cr = label(a, model::cluster_label);
  if (cr.empty() && !label(a, "persistentvolumeclaim").empty())
    if (auto pvc = st.kube->pvcs->get(ns, label(a, "persistentvolumeclaim")))
      cr = model::broker_identity_of(*pvc).cluster;
  return ns.empty() || cr.empty() ? "" : ns + "/" + cr;
}

k8s::object_reference reference(const json& cr) {
  return {"kafka.banzaicloud.io/v1beta1", "KafkaCluster", model::string_or(cr, "/metadata/namespace"_json_pointer), model::string_or(cr, "/metadata/name"_json_pointer),
          model::string_or(cr, "/metadata/uid"_json_pointer)};
}

/// status.alertCount and rollingUpgradeStatus.errorCount follow the firing alerts.
void write_counts(alert_self self, const std::string& key, const json& cr) {
  auto& st = self->state;
  int64_t firing = 0, rolling = 0;
  for (const auto& [fp, a] : st.firing)
    if (cluster_of(st, a) == key) {
      ++firing;
      rolling += a.labels.count("rollingupgrade") > 0;
    }
  // The status is shared with other writers (and users): a field of another type reads as absent and is
  // written over, never thrown on inside this handler.
  if (model::int_or(cr, "/status/alertCount"_json_pointer, -1) == firing
      && model::int_or(cr, "/status/rollingUpgradeStatus/errorCount"_json_pointer, 0) == rolling)
    return;
  json next = cr;
  if (!next["status"].is_object())
    next["status"] = json::object();
  if (!next["status"]["rollingUpgradeStatus"].is_object())
    next["status"]["rollingUpgradeStatus"] = json::object();
  next["status"]["alertCount"] = firing;
  next["status"]["rollingUpgradeStatus"]["errorCount"] = rolling;
  if (!next["status"]["rollingUpgradeStatus"].contains("lastSuccess"))
    next["status"]["rollingUpgradeStatus"]["lastSuccess"] = "";
  st.writing.insert(key);
  alert_actor handle = self;
  st.kube->client->update_status(k8s::resources::kafka_clusters(), model::string_or(cr, "/metadata/namespace"_json_pointer), std::move(next),
                                [handle, key = cluster_write(write_verb::update_status, key)](k8s::api_result<json> r) {
                                  caf::anon_send(handle, write_completed{key, r.is_ok(), r.is_ok() ? "" : r.error().to_string(),
                                                                         r.is(k8s::api_error_kind::conflict), 0});
                                });
}

void describe_replicas(alert_self self, const std::string& key, const json& cr) {
  auto& st = self->state;
  if (!st.kube->kafka_admins || st.describing.count(key))
    return;
  auto c = model::parse_kafka_cluster(cr).cluster; // parse errors: the address falls back to defaults
  auto admin = st.kube->kafka_admins({c.metadata.namespace_, c.metadata.name, model::all_broker_address(c)});
  if (!admin)
    return;
  st.describing.insert(key);
  auto id = st.next_describe++;
  st.describe_for[id] = key;
  alert_actor handle = self;
  start_kafka_describe(admin, id, [handle](kafka_described d) { caf::anon_send(handle, std::move(d)); });
}

void process(alert_self self, const std::string& key) {
  auto& st = self->state;
  if (st.writing.count(key)) {
    st.recount.insert(key); // one write per cluster at a time: decided again once it is answered
    return;
  }
  st.recount.erase(key);
  auto slash = key.find('/');
  if (!st.kube->manages(key.substr(0, slash)))
    return; // another kactor's cluster
  auto cr = st.kube->clusters->get(key.substr(0, slash), key.substr(slash + 1));
  if (!cr)
    return;
  for (const auto& [fp, a] : st.firing) {
    if (st.done.count(a.key()) || cluster_of(st, a) != key)
      continue;
    model::alert_context ctx;
    ctx.cr = *cr;
    for (const auto& pvc : st.kube->pvcs->list())
      if (auto who = model::broker_identity_of(pvc); who.cluster == key.substr(slash + 1) && who.namespace_ == key.substr(0, slash))
        ctx.pvcs[model::string_or(pvc, "/metadata/name"_json_pointer)] = pvc;
    ctx.replicas_per_broker = st.replicas[key];
    if (auto l = st.largest.find(key); l != st.largest.end()) {
      ctx.largest_replication_factor = l->second.first;
      ctx.largest_min_isr = l->second.second;
    }
    ctx.now = rfc3339_now();
    ctx.cooldown_seconds = st.kube->settings.alert_cooldown.count();
    if (st.kube->settings.flaw == model::operator_flaw::alert_every_delivery) {
      ctx.cooldown_seconds = 0; // test-only: nor cooldown nor pending operations hold a repeat back (alert-once)
      ctx.cr.erase("status");
    }
    auto d = model::decide_alert(a, ctx);
    if (d.what == model::alert_decision::kind::ignore) {
      st.done.insert(a.key());
      continue;
    }
    if (d.what == model::alert_decision::kind::skip) {
      if (d.needs_kafka)
        describe_replicas(self, key, *cr);
      if (st.skipped[fp] != d.message) {
        st.skipped[fp] = d.message;
        spdlog::info("alert {} for {}: skipped: {}", a.key(), key, d.message);
        if (st.kube->events)
          st.kube->events->warning(reference(*cr), "AlertSkipped", d.message);
      }
      continue;
    }
    spdlog::info("alert {} for {}: {}", a.key(), key, d.message);
    st.kube->metrics->alert_acted_on();
    st.writing.insert(key);
    alert_actor handle = self;
    auto occurrence = a.key();
    auto message = d.message;
    auto ref = reference(*cr);
    auto events = st.kube->events;
    st.kube->client->update(k8s::resources::kafka_clusters(), key.substr(0, slash), std::move(d.cr),
                           [handle, key = cluster_write(write_verb::update, key), occurrence, message, ref,
                            events](k8s::api_result<json> r) {
                             if (r.is_ok() && events)
                               events->normal(ref, "AlertActedOn", message);
                             caf::anon_send(handle, write_completed{key, r.is_ok(), r.is_ok() ? "" : r.error().to_string(),
                                                                    r.is(k8s::api_error_kind::conflict), 0, occurrence});
                           });
    return; // the next occurrence is decided on the CR this write produces
  }
  write_counts(self, key, *cr);
}

/// Anyone who can reach the receiver can send alerts: the firing set stays bounded. The oldest (by
/// startsAt) go first; a dropped alert that still fires comes back with Alertmanager's next repeat.
void drop_oldest_above_cap(alert_self self) {
  auto& st = self->state;
  while (st.firing.size() > st.kube->settings.alert_firing_cap) {
    auto oldest = st.firing.begin();
    for (auto it = st.firing.begin(); it != st.firing.end(); ++it)
      if (it->second.starts_at < oldest->second.starts_at)
        oldest = it;
    st.skipped.erase(oldest->first);
    st.firing.erase(oldest);
    st.kube->metrics->alert_dropped();
  }
}

void process_all(alert_self self) {
  auto& st = self->state;
  std::set<std::string> clusters;
  for (const auto& [fp, a] : st.firing)
    if (auto key = cluster_of(st, a); !key.empty())
      clusters.insert(key);
  clusters.insert(st.recount.begin(), st.recount.end());
  for (const auto& key : clusters)
    process(self, key);
  if (!st.firing.empty() && !st.tick_scheduled) {
    st.tick_scheduled = true;
    self->delayed_send(self, st.kube->settings.alert_recheck, recheck_atom::value);
  }
}

void on_written(alert_self self, const write_completed& wc) {
  auto& st = self->state;
  auto key = wc.key.namespace_ + "/" + wc.key.name;
  st.writing.erase(key);
  if (wc.ok && !wc.tag.empty())
    st.done.insert(wc.tag); // the spec edit of this alert occurrence is written
  if (!wc.ok)
    spdlog::warn("alerts for {}: write failed ({}), deciding again", key, wc.error);
  // Decide again once the cache holds the written CR (or a newer one after a conflict).
  self->delayed_send(self, retry_delay(st.kube->settings, wc.ok ? retry_reason::spec_edit_written : retry_reason::spec_edit_failed),
                     reread_atom::value);
}

alert_actor::behavior_type alert_behavior(alert_self self, kube_ports kube) {
  self->state.kube = std::move(kube);
  return {
      [=](alerts_received& r) {
        auto& st = self->state;
        std::set<std::string> touched;
        for (const auto& fp : r.resolved)
          if (auto it = st.firing.find(fp); it != st.firing.end()) {
            touched.insert(cluster_of(st, it->second));
            st.firing.erase(it);
            st.skipped.erase(fp);
          }
        for (auto& a : r.firing) {
          auto it = st.firing.find(a.fingerprint);
          bool firing = it != st.firing.end();
          if (firing && st.kube->settings.flaw == model::operator_flaw::alert_every_delivery)
            a.starts_at += "#" + std::to_string(++st.flaw_deliveries); // test-only: each delivery a new occurrence
          else if (firing && it->second.key() == a.key())
            continue; // a repeat: nothing new
          touched.insert(cluster_of(st, a));
          st.firing[a.fingerprint] = std::move(a);
        }
        drop_oldest_above_cap(self);
        for (const auto& key : touched)
          if (!key.empty())
            process(self, key);
        process_all(self);
      },
      [=](const write_completed& wc) { on_written(self, wc); },
      [=](kafka_described& d) {
        auto& st = self->state;
        auto key = st.describe_for[d.seq];
        st.describe_for.erase(d.seq);
        st.describing.erase(key);
        if (!d.ok)
          return;
        auto& counts = st.replicas[key];
        counts.clear();
        std::pair<int32_t, int32_t> largest{0, 0};
        for (const auto& p : d.partitions) {
          for (auto r : p.replicas)
            ++counts[r];
          largest.first = std::max<int32_t>(largest.first, int32_t(p.replicas.size()));
          largest.second = std::max(largest.second, p.min_isr);
        }
        st.largest[key] = largest;
        process(self, key);
      },
      [=](recheck_atom) {
        self->state.tick_scheduled = false;
        process_all(self);
      },
      [=](reread_atom) { process_all(self); },
  };
}

} // namespace

alert_actor spawn_alert_actor(caf::actor_system& sys, kube_ports kube) {
  return sys.spawn(alert_behavior, std::move(kube));
}

} // namespace kactor::actors
