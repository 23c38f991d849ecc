// parse_scenario (declared in scenario.hpp): the top level of a scenario file and its parts. Steps are
// read in scenario_steps.cpp, value shapes in scenario_reader.cpp.
#include "sim/scenario/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "model/document.hpp"
#include "model/parse/kafka_cluster_io.hpp"
#include "model/validate/kafka_cluster_validate.hpp"
#include "sim/scenario/scenario_reader.hpp"

namespace kactor::sim {

namespace {

using detail::json;
using detail::mapping;
using detail::quote;
using detail::reader;

std::string dns_label(const std::string& s) {
  return detail::is_dns_name(s, 63, false)
           ? ""
           : "must be a DNS-1123 label (lowercase letters, digits and '-', at most 63), got " + quote(s);
}

std::string topic_name(const std::string& s) {
  bool ok = !s.empty() && s.size() <= 249 && s != "." && s != "..";
  for (char c : s)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  return ok ? "" : "must be a Kafka topic name (letters, digits, '.', '_' and '-', at most 249), got " + quote(s);
}

void read_timing(reader& r, const json& v, scenario_timing& t) {
  mapping m{r, v, "timing"};
  m.get("podStart", t.pod_start, r.duration(0));
  m.get("podReady", t.pod_ready, r.duration(0));
  m.get("podTerminate", t.pod_terminate, r.duration(0));
  m.get("kafkaCatchUp", t.kafka_catch_up, r.duration(0));
  m.get("moveBytesPerSecond", t.move_bytes_per_second, r.bytes(true));
  m.get("ccCompute", t.cc_compute, r.duration(0));
  m.finish();
}

void read_node(reader& r, const json& v, const std::string& at, scenario& s) {
  mapping m{r, v, at};
  auto& n = s.nodes.emplace_back();
  m.require("name", n.name, r.text(detail::check_node_name));
  m.get("zone", n.zone, r.text(detail::check_non_empty));
  m.finish();
  for (size_t i = 0; i + 1 < s.nodes.size() && !n.name.empty(); ++i)
    if (s.nodes[i].name == n.name)
      r.fail(at + ".name", "duplicate node " + quote(n.name));
}

void read_topic(reader& r, const json& v, const std::string& at, scenario& s) {
  mapping m{r, v, at};
  auto& t = s.topics.emplace_back();
  m.require("name", t.name, r.text(topic_name));
  m.get("partitions", t.partitions, r.integer(1, 10000));
  m.get("replicationFactor", t.replication_factor, r.integer(1, 1000));
  // Unless given, min.insync.replicas is 2, or the replication factor when that is lower.
  if (!m.find("minInsyncReplicas"))
    t.min_insync_replicas = std::min(t.min_insync_replicas, t.replication_factor);
  else if (m.get("minInsyncReplicas", t.min_insync_replicas, r.integer(1, 1000)) && t.min_insync_replicas > t.replication_factor)
    r.fail(m.path("minInsyncReplicas"), "must not exceed replicationFactor (" + std::to_string(t.replication_factor) + ")");
  m.get("produceBytesPerSecond", t.produce_bytes_per_second, r.bytes(false));
  m.finish();
  for (size_t i = 0; i + 1 < s.topics.size() && !t.name.empty(); ++i)
    if (s.topics[i].name == t.name)
      r.fail(at + ".name", "duplicate topic " + quote(t.name));
}

// The KafkaCluster goes through the same parsing and validation as `kactor validate`.
void read_cluster(reader& r, const json& v, scenario& s) {
  if (!v.is_object())
    return r.fail("cluster", "expected a KafkaCluster document as a mapping, got " + reader::shown(v));
  s.cluster = v;
  auto parsed = model::parse_kafka_cluster(v);
  auto errors = parsed.errors.empty() ? model::validate_kafka_cluster(parsed.cluster) : parsed.errors;
  for (const auto& e : errors)
    r.fail(e.path.empty() ? "cluster" : "cluster." + e.path, e.message);
  const auto& ns = parsed.cluster.metadata.namespace_;
  if (!ns.empty() && ns != s.namespace_)
    r.fail("cluster.metadata.namespace", quote(ns) + " differs from the scenario's namespace " + quote(s.namespace_));
}

void read_random(reader& r, const json& v, scenario& s) {
  mapping m{r, v, "randomFaults"};
  auto& rf = s.random.emplace();
  if (m.require("kinds", rf.kinds, r.list(r.kind())) && rf.kinds.empty())
    r.fail(m.path("kinds"), "must name at least one fault kind");
  m.require("count", rf.count, r.integer(0, 10000));
  m.get("from", rf.from, r.duration(0));
  m.require("to", rf.to, r.duration(0));
  m.get("minDuration", rf.min_duration, r.duration(1));
  m.get("maxDuration", rf.max_duration, r.duration(1));
  m.finish();
  if (rf.to < rf.from)
    r.fail(m.path("to"), "must not be before from (" + detail::format_duration(rf.from) + ")");
  if (rf.max_duration < rf.min_duration)
    r.fail(m.path("maxDuration"), "must not be below minDuration (" + detail::format_duration(rf.min_duration) + ")");
}

// Syntax errors come from load_documents as "<source>: line L, column C: ..."; the source is left empty
// (the runner names the file) and its ": " dropped.
model::result<json> load_one_mapping(std::string_view yaml) {
  auto docs = model::load_documents(yaml, "");
  if (!docs)
    return model::status::parse_error(docs.error().message().substr(2));
  if (docs->empty())
    return model::status::parse_error("empty scenario file");
  if (docs->size() != 1 || !docs->front().is_object())
    return model::status::parse_error("a scenario file holds exactly one YAML mapping");
  if (!detail::valid_utf8(docs->front()))
    return model::status::parse_error("the scenario file is not valid UTF-8");
  return std::move(docs->front());
}

} // namespace

namespace detail {

void read_fault(reader& r, const json& v, const std::string& at, bool timed, fault_spec& f) {
  mapping m{r, v, at};
  bool kind_ok = m.require("kind", f.kind, r.kind());
  if (timed)
    m.require("at", f.at, r.duration(0));
  m.get("broker", f.broker, r.broker_id());
  m.get("node", f.node, r.text(check_node_name));
  m.get("duration", f.duration, r.duration(1));
  m.get("rate", f.rate, r.real(0, 1));
  m.get("count", f.count, r.integer(1, 1000));
  m.finish();
  if (!kind_ok)
    return;
  const std::string kind = to_string(f.kind);
  auto required = [&](const char* key) {
    if (!m.has(key))
      r.fail(m.path(key), "required for " + kind);
  };
  auto only_if = [&](const char* key, bool used) {
    if (!used && m.has(key))
      r.fail(m.path(key), "not used by " + kind);
  };
  if (f.kind == fault_kind::node_down) {
    if (m.has("broker") == m.has("node"))
      r.fail(at, "nodeDown needs exactly one of broker and node");
  } else {
    if (targets_broker(f.kind))
      required("broker");
    only_if("broker", targets_broker(f.kind));
    only_if("node", false);
  }
  if (has_duration(f.kind))
    required("duration");
  only_if("duration", has_duration(f.kind));
  only_if("rate", f.kind == fault_kind::api_errors);
  only_if("count", f.kind == fault_kind::cc_task_failure);
}

} // namespace detail

model::result<scenario> parse_scenario(std::string_view yaml) {
  auto doc = load_one_mapping(yaml);
  if (!doc)
    return doc.error();
  reader r;
  scenario s;
  mapping m{r, *doc, ""};
  m.require("name", s.name, r.text(detail::check_non_empty));
  m.get("description", s.description, r.text());
  m.get("scale", s.scale, r.real(0, 10000));
  m.get("seed", s.seed, r.integer(0, std::numeric_limits<int64_t>::max()));
  m.get("namespace", s.namespace_, r.text(dns_label));
  m.get("convergeWithin", s.converge_within, r.duration(1));
  m.get("maxDisruptions", s.max_disruptions, r.integer(1, 1000));
  m.each("nodes", [&](const json& v, const std::string& at) { read_node(r, v, at, s); });
  m.with("timing", [&](const json& v) { read_timing(r, v, s.timing); });
  m.with("cluster", [&](const json& v) { read_cluster(r, v, s); });
  m.each("topics", [&](const json& v, const std::string& at) { read_topic(r, v, at, s); });
  m.each("steps", [&](const json& v, const std::string& at) { detail::read_step(r, v, at, s); });
  m.each("faults", [&](const json& v, const std::string& at) { detail::read_fault(r, v, at, true, s.faults.emplace_back()); });
  m.with("randomFaults", [&](const json& v) { read_random(r, v, s); });
  m.finish();
  if (r.errors.empty())
    detail::check_references(r, s);
  if (!r.errors.empty())
    return model::to_status(r.errors);
  return s;
}

} // namespace kactor::sim
