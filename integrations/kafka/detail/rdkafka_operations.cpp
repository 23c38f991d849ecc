#include "integrations/kafka/detail/rdkafka_operations.hpp"

#include <algorithm>

#include <librdkafka/rdkafka.h>

namespace kactor::integrations::kafka::detail {

namespace {

// The broker a broker resource is asked through: the one it names, or for the cluster default the
// lowest-id live broker. Checked against metadata first, because librdkafka would wait the whole budget
// for a broker id that does not exist and report a timeout instead of not_found.
admin_result<int32_t> broker_to_ask(const request_context& ctx, const config_resource& resource) {
  std::optional<int32_t> id;
  if (!resource.name.empty() && !(id = parse_broker_id(resource.name)))
    return admin_error{admin_error::kind::not_found, "no broker named '" + resource.name + "': not a broker id"};
  auto md = read_metadata(ctx, false);
  if (!md.is_ok())
    return md.error();
  const auto& brokers = md.value().cluster.brokers;
  if (!id) {
    if (brokers.empty())
      return admin_error{admin_error::kind::unavailable, "cluster default: the metadata lists no broker"};
    return brokers.front().id;
  }
  if (std::none_of(brokers.begin(), brokers.end(), [&](const broker_node& b) { return b.id == *id; }))
    return admin_error{admin_error::kind::not_found, resource.to_string() + " is not in the cluster's metadata"};
  return *id;
}

// The one resource's answer, or its error.
admin_result<described_resource> describe_one(const request_context& ctx, const config_resource& resource) {
  auto answers = describe_resources(ctx, {resource});
  if (!answers.is_ok())
    return answers.error();
  described_resource& d = answers.value().front();
  if (d.error != 0)
    return make_error(d.error, d.error_message);
  return std::move(d);
}

std::vector<config_entry> top_level(const described_resource& d) {
  std::vector<config_entry> out;
  for (const auto& e : d.entries)
    out.push_back(e.entry);
  return out;
}

} // namespace

admin_result<cluster_description> describe_cluster(const request_context& ctx) {
  auto md = read_metadata(ctx, false);
  if (!md.is_ok())
    return md.error();
  return std::move(md.value().cluster);
}

admin_result<std::vector<topic_description>> describe_topics(const request_context& ctx) {
  auto md = read_metadata(ctx, true);
  if (!md.is_ok())
    return md.error();
  std::vector<topic_description>& topics = md.value().topics;
  if (topics.empty())
    return std::move(topics);
  std::vector<config_resource> resources;
  for (const auto& t : topics)
    resources.push_back(config_resource::topic(t.name));
  auto answers = describe_resources(ctx, resources, {"min.insync.replicas"});
  if (!answers.is_ok())
    return answers.error();
  std::vector<topic_description> out;
  for (size_t i = 0; i < topics.size(); ++i) {
    const described_resource& d = answers.value()[i];
    if (d.error == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
      continue; // deleted after the metadata answer
    if (d.error != 0)
      return make_error(d.error, d.error_message);
    auto min_isr = min_insync_replicas(d);
    if (!min_isr.is_ok())
      return min_isr.error();
    topics[i].min_insync_replicas = min_isr.value();
    out.push_back(std::move(topics[i]));
  }
  return out;
}

admin_result<config_description> describe_configs(const request_context& ctx, const config_resource& resource) {
  config_resource ask = resource;
  if (resource.type == config_resource::kind::broker) {
    auto id = broker_to_ask(ctx, resource);
    if (!id.is_ok())
      return id.error();
    ask = config_resource::broker(id.value());
  }
  auto d = describe_one(ctx, ask);
  if (!d.is_ok())
    return d.error();
  if (resource.type == config_resource::kind::broker && resource.name.empty())
    return config_description{resource, cluster_default_entries(d.value().entries)};
  return config_description{resource, top_level(d.value())};
}

admin_result<done> incremental_alter_configs(const request_context& ctx, const config_resource& resource,
                                             const std::vector<config_op>& ops) {
  if (ops.empty())
    return done{};
  if (resource.type == config_resource::kind::broker) {
    if (resource.name.empty())
      return admin_error{admin_error::kind::other,
                         "cannot alter the cluster default: librdkafka 2.0.2 can address brokers only by id "
                         "(no IncrementalAlterConfigs, and a broker resource named \"\" crashes it)"};
    if (auto id = broker_to_ask(ctx, resource); !id.is_ok())
      return id.error();
  }
  // librdkafka 2.0.2 has no IncrementalAlterConfigs, and AlterConfigs replaces the resource's whole
  // dynamic set: read that set, apply the ops to it, write it back complete.
  auto d = describe_one(ctx, resource);
  if (!d.is_ok())
    return d.error();
  auto set = full_alter_set(resource, top_level(d.value()), ops);
  if (!set.is_ok())
    return set.error();
  return alter_resource(ctx, resource, set.value());
}

} // namespace kactor::integrations::kafka::detail
