// The steps of a scenario file (read_step) and the cross-checks of a whole scenario (check_references).
// A step is a mapping with one action key, read by that action's entry in `actions`, plus an optional
// `name`; unnamed steps get one from what they do.
#include <algorithm>
#include <set>

#include "sim/scenario/scenario_reader.hpp"

namespace kactor::sim::detail {

namespace {

using step_reader = void (*)(reader&, const json&, const std::string&, const scenario&, scenario_step&);

void read_patch(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  if (v.is_object() && !v.empty())
    st.patch = v;
  else
    r.fail(at, "expected a non-empty mapping (a JSON merge patch of the KafkaCluster's spec), got " + reader::shown(v));
}

void read_add_brokers(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  auto ids = r.list(r.broker_id())(v, at);
  if (ids && ids->empty())
    r.fail(at, "must list at least one broker id");
  for (size_t i = 0; ids && i < ids->size(); ++i)
    if (std::count(ids->begin(), ids->begin() + i, (*ids)[i]))
      r.fail(at + "[" + std::to_string(i) + "]", "broker " + std::to_string((*ids)[i]) + " is listed twice");
  if (ids)
    st.brokers = *ids;
}

void read_remove_broker(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  if (auto id = r.broker_id()(v, at))
    st.brokers = {*id};
}

// {broker, <key>}, the text of <key> going to `field`: addDisk and removeDisk (mountPath; addDisk also
// size), brokerConfig (config).
void read_broker_and(reader& r, const json& v, const std::string& at, scenario_step& st, const char* key,
                     std::string scenario_step::*field, reader::check check) {
  mapping m{r, v, at};
  int32_t id = -1;
  if (m.require("broker", id, r.broker_id()))
    st.brokers = {id};
  m.require(key, st.*field, r.text(check));
  if (st.kind == step_kind::add_disk)
    m.get("size", st.size, r.size());
  m.finish();
}

void read_disk(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  read_broker_and(r, v, at, st, "mountPath", &scenario_step::mount_path, check_absolute_path);
}

void read_broker_config(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  read_broker_and(r, v, at, st, "config", &scenario_step::config, check_config_lines);
}

void read_read_only_config(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  if (auto lines = r.text(check_config_lines)(v, at))
    st.config = *lines;
}

void read_alert(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  mapping m{r, v, at};
  json labels = json::object(), annotations = json::object();
  m.require("labels", labels, r.labels(true));
  m.get("annotations", annotations, r.labels(false));
  m.get("repeats", st.repeats, r.integer(1, 1000));
  m.finish();
  st.alert = {{"labels", labels}, {"annotations", annotations}};
}

void read_wait(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  if (auto d = r.duration(1)(v, at))
    st.duration = *d;
}

// `waitConverged:` without a value waits as long as the scenario's convergeWithin.
void read_wait_converged(reader& r, const json& v, const std::string& at, const scenario& s, scenario_step& st) {
  st.duration = s.converge_within;
  if (!v.is_null())
    read_wait(r, v, at, s, st);
}

void read_fault_step(reader& r, const json& v, const std::string& at, const scenario&, scenario_step& st) {
  read_fault(r, v, at, false, st.fault);
}

struct action {
  const char* key;
  step_kind kind;
  step_reader read;
};

// In step_kind order, so that a kind indexes its own entry.
constexpr action actions[] = {
  {"patch", step_kind::patch, read_patch},
  {"addBrokers", step_kind::add_brokers, read_add_brokers},
  {"removeBroker", step_kind::remove_broker, read_remove_broker},
  {"addDisk", step_kind::add_disk, read_disk},
  {"removeDisk", step_kind::remove_disk, read_disk},
  {"readOnlyConfig", step_kind::read_only_config, read_read_only_config},
  {"brokerConfig", step_kind::broker_config, read_broker_config},
  {"alert", step_kind::alert, read_alert},
  {"wait", step_kind::wait, read_wait},
  {"waitConverged", step_kind::wait_converged, read_wait_converged},
  {"fault", step_kind::fault, read_fault_step},
};

constexpr bool in_enum_order() {
  for (size_t i = 0; i < std::size(actions); ++i)
    if (static_cast<size_t>(actions[i].kind) != i)
      return false;
  return true;
}
static_assert(in_enum_order(), "actions[] must list every step_kind in enum order");

const char* key_of(step_kind k) { return actions[static_cast<size_t>(k)].key; }

template <class Range>
std::string joined(const Range& items) {
  std::string out;
  for (const auto& x : items) {
    if (!out.empty())
      out += ", ";
    if constexpr (std::is_integral_v<std::decay_t<decltype(x)>>)
      out += std::to_string(x);
    else
      out += x;
  }
  return out;
}

// Config lines on one line, for a step's name.
std::string one_line(const std::string& lines) {
  std::string out;
  for (char c : lines)
    out += c == '\n' ? std::string{"; "} : std::string{c};
  while (out.size() >= 2 && out.substr(out.size() - 2) == "; ")
    out.resize(out.size() - 2);
  return out.size() > 60 ? out.substr(0, 57) + "..." : out;
}

std::string default_name(const scenario_step& st) {
  std::string broker = st.brokers.empty() ? "" : std::to_string(st.brokers.front());
  std::vector<std::string> keys;
  switch (st.kind) {
    case step_kind::patch:
      for (const auto& [key, value] : st.patch.items())
        keys.push_back(key);
      return "patch spec: " + joined(keys);
    case step_kind::add_brokers: return "add brokers " + joined(st.brokers);
    case step_kind::remove_broker: return "remove broker " + broker;
    case step_kind::add_disk: return "add disk " + st.mount_path + " (" + st.size + ") to broker " + broker;
    case step_kind::remove_disk: return "remove disk " + st.mount_path + " of broker " + broker;
    case step_kind::read_only_config: return "read-only config: " + one_line(st.config);
    case step_kind::broker_config: return "broker " + broker + " config: " + one_line(st.config);
    case step_kind::alert:
      return "alert " + st.alert["labels"].value("alertname", std::string{"(no alertname)"})
             + (st.repeats > 1 ? " x" + std::to_string(st.repeats) : "");
    case step_kind::wait: return "wait " + format_duration(st.duration);
    case step_kind::wait_converged: return "converge within " + format_duration(st.duration);
    case step_kind::fault: return describe(st.fault);
  }
  return "step";
}

} // namespace

void read_step(reader& r, const json& v, const std::string& at, scenario& s) {
  auto& st = s.steps.emplace_back();
  mapping m{r, v, at};
  if (!m.valid())
    return;
  m.get("name", st.name, r.text(check_non_empty));
  std::vector<const action*> found;
  for (const auto& a : actions)
    if (m.has(a.key))
      found.push_back(&a);
  size_t unknown = m.finish();
  std::vector<std::string> keys;
  for (const auto* a : found)
    keys.push_back(quote(a->key));
  if (found.size() > 1)
    r.fail(at, "exactly one action key expected, got " + joined(keys));
  if (found.empty() && unknown == 0) {
    std::vector<std::string> all;
    for (const auto& a : actions)
      all.push_back(a.key);
    r.fail(at, "no action key (one of " + joined(all) + ")");
  }
  if (found.size() != 1)
    return;
  st.kind = found.front()->kind;
  found.front()->read(r, v[found.front()->key], m.path(found.front()->key), s, st);
  if (st.name.empty())
    st.name = default_name(st);
}

namespace {

/// The brokers of the spec as the timeline goes, and every broker it ever had; complains about steps
/// naming a broker that is not there.
struct broker_ledger {
  reader& r;
  std::set<int32_t> current, ever;

  void need(const std::set<int32_t>& among, int32_t id, const std::string& at, const char* when) {
    if (id >= 0 && !among.contains(id))
      r.fail(at, "no broker " + std::to_string(id) + when + " (brokers: " + joined(among) + ")");
  }

  void step(const scenario_step& st, const std::string& at) {
    const int32_t id = st.brokers.empty() ? -1 : st.brokers.front();
    switch (st.kind) {
      case step_kind::add_brokers:
        for (size_t j = 0; j < st.brokers.size(); ++j)
          if (current.contains(st.brokers[j]))
            r.fail(at + "[" + std::to_string(j) + "]", "broker " + std::to_string(st.brokers[j]) + " already exists");
        current.insert(st.brokers.begin(), st.brokers.end());
        break;
      case step_kind::remove_broker:
        need(current, id, at, " at this step");
        current.erase(id);
        break;
      case step_kind::add_disk:
      case step_kind::remove_disk:
      case step_kind::broker_config: need(current, id, at + ".broker", " at this step"); break;
      case step_kind::patch:
        if (st.patch.contains("brokers")) { // a merge patch replaces the whole list
          auto ids = broker_ids(st.patch["brokers"]);
          current = {ids.begin(), ids.end()};
        }
        break;
      default: break;
    }
    ever.insert(current.begin(), current.end());
  }
};

} // namespace

void check_references(reader& r, const scenario& s) {
  const auto initial = initial_brokers(s);
  broker_ledger brokers{r, {initial.begin(), initial.end()}, {initial.begin(), initial.end()}};
  std::set<std::string> nodes;
  for (const auto& n : s.nodes)
    nodes.insert(n.name);
  if (nodes.empty())
    nodes = {"node-1", "node-2", "node-3"}; // the runner's default nodes
  // Faults may hit any broker the timeline has had so far (one being drained too).
  auto check_fault = [&](const fault_spec& f, const std::string& at) {
    brokers.need(brokers.ever, f.broker, at + ".broker", "");
    if (!f.node.empty() && !nodes.contains(f.node))
      r.fail(at + ".node", "unknown node " + quote(f.node) + " (nodes: " + joined(nodes) + ")");
  };
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const std::string at = "steps[" + std::to_string(i) + "]." + key_of(s.steps[i].kind);
    brokers.step(s.steps[i], at);
    if (s.steps[i].kind == step_kind::fault)
      check_fault(s.steps[i].fault, at);
  }
  for (size_t i = 0; i < s.faults.size(); ++i)
    check_fault(s.faults[i], "faults[" + std::to_string(i) + "]");
  for (size_t i = 0; i < s.topics.size(); ++i)
    if (size_t(s.topics[i].replication_factor) > initial.size())
      r.fail("topics[" + std::to_string(i) + "].replicationFactor",
             std::to_string(s.topics[i].replication_factor) + " exceeds the " + std::to_string(initial.size())
               + " brokers the cluster starts with");
}

} // namespace kactor::sim::detail
