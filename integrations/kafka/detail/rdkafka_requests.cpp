#include "integrations/kafka/detail/rdkafka_requests.hpp"

#include <algorithm>
#include <memory>

#include <librdkafka/rdkafka.h>

namespace kactor::integrations::kafka::detail {

namespace {

// How long one wait lasts before the stop flag is checked again.
constexpr int slice_ms = 100;

template <class T, void (*Destroy)(T*)>
struct destroyer {
  void operator()(T* p) const { Destroy(p); }
};
using queue_ptr = std::unique_ptr<rd_kafka_queue_t, destroyer<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using options_ptr =
  std::unique_ptr<rd_kafka_AdminOptions_t, destroyer<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>>;
using event_ptr = std::unique_ptr<rd_kafka_event_t, destroyer<rd_kafka_event_t, rd_kafka_event_destroy>>;
using resource_ptr =
  std::unique_ptr<rd_kafka_ConfigResource_t, destroyer<rd_kafka_ConfigResource_t, rd_kafka_ConfigResource_destroy>>;

int remaining_ms(const request_context& ctx) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(ctx.deadline - clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 3600000));
}

admin_error stopped() { return {admin_error::kind::unavailable, "admin stopped"}; }

admin_error timed_out(const std::string& what) {
  return {admin_error::kind::timeout, what + ": no answer within the request timeout"};
}

config_source to_source(rd_kafka_ConfigSource_t s) {
  switch (s) {
  case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG: return config_source::dynamic_topic;
  case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG: return config_source::dynamic_broker;
  case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG: return config_source::dynamic_default_broker;
  case RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG: return config_source::static_broker;
  case RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG: return config_source::default_config;
  default: return config_source::unknown;
  }
}

config_entry to_entry(const rd_kafka_ConfigEntry_t* e) {
  const char* value = rd_kafka_ConfigEntry_value(e);
  return config_entry{rd_kafka_ConfigEntry_name(e), value ? std::optional<std::string>{value} : std::nullopt,
                      to_source(rd_kafka_ConfigEntry_source(e)), rd_kafka_ConfigEntry_is_read_only(e) == 1,
                      rd_kafka_ConfigEntry_is_sensitive(e) == 1};
}

described_resource to_described(const rd_kafka_ConfigResource_t* r) {
  described_resource d;
  d.resource.type = rd_kafka_ConfigResource_type(r) == RD_KAFKA_RESOURCE_TOPIC ? config_resource::kind::topic
                                                                               : config_resource::kind::broker;
  d.resource.name = rd_kafka_ConfigResource_name(r);
  d.error = rd_kafka_ConfigResource_error(r);
  if (d.error != 0) {
    const char* msg = rd_kafka_ConfigResource_error_string(r);
    d.error_message = d.resource.to_string() + ": "
                      + (msg && *msg ? msg : rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(d.error)));
  }
  size_t n = 0;
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(r, &n);
  for (size_t i = 0; i < n; ++i) {
    described_entry de{to_entry(entries[i]), {}};
    size_t m = 0;
    const rd_kafka_ConfigEntry_t** synonyms = rd_kafka_ConfigEntry_synonyms(entries[i], &m);
    for (size_t j = 0; synonyms && j < m; ++j)
      de.synonyms.push_back(to_entry(synonyms[j]));
    d.entries.push_back(std::move(de));
  }
  return d;
}

metadata_snapshot to_snapshot(const rd_kafka_metadata_t& md, bool all_topics) {
  metadata_snapshot snap;
  for (int i = 0; i < md.broker_cnt; ++i)
    snap.cluster.brokers.push_back(
      {md.brokers[i].id, md.brokers[i].host ? md.brokers[i].host : "", md.brokers[i].port, ""});
  std::sort(snap.cluster.brokers.begin(), snap.cluster.brokers.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (int i = 0; all_topics && i < md.topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = md.topics[i];
    if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
      continue; // deleted while listed
    topic_description td{t.topic, is_internal_topic(t.topic), 1, {}};
    for (int p = 0; p < t.partition_cnt; ++p) {
      const rd_kafka_metadata_partition_t& mp = t.partitions[p];
      td.partitions.push_back(
        {mp.id, mp.leader, {mp.replicas, mp.replicas + mp.replica_cnt}, {mp.isrs, mp.isrs + mp.isr_cnt}});
    }
    std::sort(td.partitions.begin(), td.partitions.end(),
              [](const auto& a, const auto& b) { return a.partition < b.partition; });
    snap.topics.push_back(std::move(td));
  }
  std::sort(snap.topics.begin(), snap.topics.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return snap;
}

resource_ptr new_resource(const config_resource& r) {
  auto type = r.type == config_resource::kind::topic ? RD_KAFKA_RESOURCE_TOPIC : RD_KAFKA_RESOURCE_BROKER;
  return resource_ptr{rd_kafka_ConfigResource_new(type, r.name.c_str())};
}

// Admin options whose request timeout is what is left of the call's budget, so librdkafka gives up
// (waiting for the broker or controller included) by the deadline.
options_ptr admin_options(const request_context& ctx, rd_kafka_admin_op_t op) {
  options_ptr opts{rd_kafka_AdminOptions_new(ctx.rk, op)};
  char errstr[256];
  rd_kafka_AdminOptions_set_request_timeout(opts.get(), std::max(1, remaining_ms(ctx)), errstr, sizeof errstr);
  return opts;
}

// The result event of one admin request on its own queue. Polled in slices so that a stop is noticed;
// the queue is per request, so an answer arriving after the deadline is dropped with it.
admin_result<event_ptr> wait_event(const request_context& ctx, rd_kafka_queue_t* q, const std::string& what) {
  for (;;) {
    if (ctx.stopping->load())
      return stopped();
    const int left = remaining_ms(ctx);
    if (left <= 0)
      return timed_out(what);
    if (rd_kafka_event_t* ev = rd_kafka_queue_poll(q, std::min(left, slice_ms))) {
      event_ptr owned{ev};
      if (auto err = rd_kafka_event_error(ev))
        return make_error(err, what + ": " + rd_kafka_event_error_string(ev));
      return owned;
    }
  }
}

} // namespace

admin_result<metadata_snapshot> read_metadata(const request_context& ctx, bool all_topics) {
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t last = RD_KAFKA_RESP_ERR__TIMED_OUT;
  bool whole = false;
  while (!md) {
    if (ctx.stopping->load())
      return stopped();
    const int left = remaining_ms(ctx);
    if (left <= 0 && last == RD_KAFKA_RESP_ERR__TRANSPORT)
      return admin_error{admin_error::kind::unavailable, "metadata: no broker reachable within the request timeout"};
    if (left <= 0)
      return timed_out("metadata");
    // rd_kafka_metadata cannot be interrupted, so it is asked in slices while no broker is reachable
    // (_TRANSPORT: nothing was sent, asking again costs nothing). A slice that timed out did reach a
    // broker: ask once more with the whole remaining budget, so that a large answer can arrive.
    last = rd_kafka_metadata(ctx.rk, all_topics ? 1 : 0, nullptr, &md, whole ? left : std::min(left, slice_ms));
    if (last == RD_KAFKA_RESP_ERR__TIMED_OUT && !whole)
      whole = true;
    else if (last == RD_KAFKA_RESP_ERR__TRANSPORT)
      whole = false;
    else if (last != RD_KAFKA_RESP_ERR_NO_ERROR)
      return make_error(last, std::string{"metadata: "} + rd_kafka_err2str(last));
  }
  metadata_snapshot snap = to_snapshot(*md, all_topics);
  rd_kafka_metadata_destroy(md);
  // Both come from the client's cache, which the answer above has just filled: no further wait.
  const int cache_wait = std::min(remaining_ms(ctx), slice_ms);
  snap.cluster.controller_id = rd_kafka_controllerid(ctx.rk, cache_wait);
  if (char* id = rd_kafka_clusterid(ctx.rk, cache_wait)) {
    snap.cluster.cluster_id = id;
    rd_kafka_mem_free(ctx.rk, id);
  }
  return snap;
}

admin_result<std::vector<described_resource>> describe_resources(const request_context& ctx,
                                                                 const std::vector<config_resource>& resources,
                                                                 const std::vector<std::string>& only) {
  std::vector<resource_ptr> owned;
  std::vector<rd_kafka_ConfigResource_t*> raw;
  for (const auto& r : resources) {
    owned.push_back(new_resource(r));
    // On a DescribeConfigs resource the entries' names are the config names asked for.
    for (const auto& name : only)
      rd_kafka_ConfigResource_set_config(owned.back().get(), name.c_str(), nullptr);
    raw.push_back(owned.back().get());
  }
  queue_ptr q{rd_kafka_queue_new(ctx.rk)};
  auto opts = admin_options(ctx, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
  rd_kafka_DescribeConfigs(ctx.rk, raw.data(), raw.size(), opts.get(), q.get()); // copies the resources
  auto ev = wait_event(ctx, q.get(), "DescribeConfigs");
  if (!ev.is_ok())
    return ev.error();
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs =
    rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev.value().get()), &n);
  std::vector<described_resource> answers;
  for (size_t i = 0; rs && i < n; ++i)
    answers.push_back(to_described(rs[i]));
  std::vector<described_resource> out;
  for (const auto& r : resources) {
    auto it = std::find_if(answers.begin(), answers.end(), [&](const described_resource& a) {
      return a.resource.type == r.type && a.resource.name == r.name;
    });
    if (it == answers.end())
      return admin_error{admin_error::kind::other, "DescribeConfigs: no answer for " + r.to_string()};
    out.push_back(std::move(*it));
  }
  return out;
}

admin_result<done> alter_resource(const request_context& ctx, const config_resource& resource,
                                  const std::map<std::string, std::string>& set) {
  resource_ptr res = new_resource(resource);
  for (const auto& [name, value] : set)
    if (auto err = rd_kafka_ConfigResource_set_config(res.get(), name.c_str(), value.c_str()))
      return make_error(err, resource.to_string() + ": librdkafka refused config " + name);
  queue_ptr q{rd_kafka_queue_new(ctx.rk)};
  auto opts = admin_options(ctx, RD_KAFKA_ADMIN_OP_ALTERCONFIGS);
  rd_kafka_ConfigResource_t* raw = res.get();
  rd_kafka_AlterConfigs(ctx.rk, &raw, 1, opts.get(), q.get());
  auto ev = wait_event(ctx, q.get(), "AlterConfigs " + resource.to_string());
  if (!ev.is_ok())
    return ev.error();
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs =
    rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev.value().get()), &n);
  if (!rs || n != 1)
    return admin_error{admin_error::kind::other, "AlterConfigs: no answer for " + resource.to_string()};
  if (auto err = rd_kafka_ConfigResource_error(rs[0])) {
    const char* msg = rd_kafka_ConfigResource_error_string(rs[0]);
    return make_error(err, resource.to_string() + ": " + (msg && *msg ? msg : rd_kafka_err2str(err)));
  }
  return done{};
}

} // namespace kactor::integrations::kafka::detail
