#include "actors/cruise_control_actor.hpp"
#include "model/json_read.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/api_writes.hpp"
#include "actors/retry_policy.hpp"
#include "actors/clock.hpp"
#include "actors/cruise_control_calls.hpp"
#include "model/alerts/alert_action.hpp"
#include "model/cruisecontrol/cc_schedule.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;
namespace cc = integrations::cruisecontrol;
namespace k8s = integrations::kubernetes;

struct cruise_control_state {
  static inline const char* name = "kactor.cruise_control";
  std::string ns, cluster_name;
  kube_ports kube;
  std::shared_ptr<cc::cruise_control> cc;
  cluster_actor cluster;
  bool step_in_flight = false, pass_queued = false, dirty = false;
  int writes_in_flight = 0;
  bool observe_in_flight = false;
  std::optional<uint64_t> observe_wanted; ///< a refresh asked for while one was in flight
  uint64_t timer = 0;
  std::string problem; ///< the last "not now" from Cruise Control, logged once
  /// Status writes the cache may not show yet: never decide (resubmit!) from the state before them.
  written_operations written;
  /// Operations whose task ran (Active, InExecution) at the last pass: name → task id.
  std::map<std::string, std::string> running;
  /// Tasks of operations deleted while they ran: task id → operation name. Each is stopped
  /// (stop_proposal_execution) once it executes, or dropped when it ends or Cruise Control forgets it.
  std::map<std::string, std::string> stopping;
};

using cc_self = cruise_control_actor::stateful_pointer<cruise_control_state>;

std::vector<model::cc_operation> cluster_operations(const kube_access& kube, const std::string& ns, const std::string& name,
                                                    written_operations* written) {
  std::vector<model::cc_operation> out;
  if (!kube.cc_operations)
    return out;
  for (const auto& cached : kube.cc_operations->list_by_label(ns, name)) {
    if (model::string_or(cached, "/metadata/namespace"_json_pointer) != ns
        || model::string_or(cached, "/metadata/labels/kafka_cr"_json_pointer) != name)
      continue;
    const json* use = &cached;
    if (written) {
      auto op_name = model::string_or(cached, "/metadata/name"_json_pointer);
      if (auto w = written->find(op_name); w != written->end()) {
        if (model::string_or(cached, "/metadata/resourceVersion"_json_pointer) == w->second.first)
          use = &w->second.second; // the cache is behind our own write
        else
          written->erase(w);
      }
    }
    const json& o = *use;
    auto op = model::parse_cc_operation(o);
    if (op.is_ok())
      out.push_back(std::move(op.value()));
    else
      spdlog::warn("cruise control {}/{}: operation {} ignored: {}", ns, name,
                   model::string_or(o, "/metadata/name"_json_pointer), op.error().message());
  }
  return out;
}

namespace {

void queue_pass(cc_self self) {
  if (!self->state.pass_queued) {
    self->state.pass_queued = true;
    self->send(self, pass_atom::value);
  }
}

write_done completion(cc_self self) {
  cruise_control_actor handle = self;
  ++self->state.writes_in_flight;
  return [handle](write_completed wc) { caf::anon_send(handle, std::move(wc)); };
}

void later(cc_self self, std::chrono::milliseconds delay) {
  self->delayed_send(self, delay, tick_atom::value, ++self->state.timer);
}

/// Deleting a CruiseControlOperation whose task runs stops the task (as Koperator does): an operation that
/// ran at the last pass and is gone from the cache (or being deleted) now has its task put in `stopping`.
void note_deleted_running(cruise_control_state& st, const std::vector<model::cc_operation>& ops) {
  for (const auto& [name, task] : st.running) {
    auto cached = st.kube->cc_operations->get(st.ns, name);
    if (cached && !cached->contains("/metadata/deletionTimestamp"_json_pointer))
      continue;
    spdlog::info("cruise control {}/{}: operation {} deleted while its task {} runs: stopping the execution", st.ns,
                 st.cluster_name, name, task);
    st.stopping[task] = name;
  }
  st.running.clear();
  for (const auto& op : ops)
    if (!op.task_id.empty() && (op.state == "Active" || op.state == "InExecution"))
      st.running[op.name] = op.task_id;
}

void run_pass(cc_self self) {
  auto& st = self->state;
  st.pass_queued = false;
  if (st.step_in_flight || st.writes_in_flight > 0) {
    st.dirty = true;
    return;
  }
  st.dirty = false;
  auto ops = cluster_operations(*st.kube, st.ns, st.cluster_name, &st.written);
  if (st.kube->cc_operations)
    note_deleted_running(st, ops);
  model::cc_schedule_inputs in;
  in.operations = ops;
  in.now = model::rfc3339_seconds(rfc3339_now());
  in.retry_base = std::chrono::duration_cast<std::chrono::seconds>(st.kube->settings.cc_retry_base);
  in.retry_max = std::chrono::duration_cast<std::chrono::seconds>(st.kube->settings.cc_retry_max);
  // Operation times are RFC 3339 seconds: a retry cannot be sooner than the next second.
  in.retry_base = std::max(in.retry_base, std::chrono::seconds{1});
  in.retry_max = std::max(in.retry_max, in.retry_base);
  auto s = model::schedule_cc_operations(in);
  for (const auto& name : s.expire) {
    spdlog::info("cruise control {}/{}: deleting finished operation {} (ttlSecondsAfterFinished)", st.ns, st.cluster_name, name);
    model::broker_write w{model::broker_write::kind::delete_object, model::resource_kind::cruise_control_operation, name, json{}, "",
                         "expired"};
    start_broker_write(*st.kube, st.ns, w, completion(self));
  }
  auto find = [&](const std::string& name) {
    return *std::find_if(ops.begin(), ops.end(), [&](const model::cc_operation& o) { return o.name == name; });
  };
  cruise_control_actor handle = self;
  auto done = [handle](cc_step_done d) { caf::anon_send(handle, std::move(d)); };
  bool flawed = st.kube->settings.flaw == model::operator_flaw::duplicate_cc_operations;
  if (!st.stopping.empty()) { // before anything new: the deleted operation's execution must not go on
    st.step_in_flight = true;
    start_cc_stop(st.cc, st.stopping.begin()->second, st.stopping.begin()->first, done);
  } else if (!s.poll.empty()) {
    st.step_in_flight = true;
    const auto& op = find(s.poll.front());
    if (flawed && op.state == "InExecution") // test-only: proves cc-duplicate catches a request asked twice
      start_cc_submit(st.cc, op, done, false);
    else
      start_cc_poll(st.cc, op, done);
  } else if (s.submit) {
    const auto& op = find(*s.submit);
    spdlog::info("cruise control {}/{}: taking up {} {}{}", st.ns, st.cluster_name, model::to_string(op.kind), op.name,
                 op.retry_count > 0 || op.failed() ? " (retry)" : "");
    st.step_in_flight = true;
    start_cc_submit(st.cc, op, done, !flawed);
  }
  if (s.next_retry)
    later(self, std::chrono::seconds{std::max<int64_t>(1, *s.next_retry - in.now)});
}

/// A stop step ended: settled (stopped, ended, forgotten) or to be tried again after cc_poll.
void on_stop_done(cc_self self, const cc_step_done& d) {
  auto& st = self->state;
  if (!d.problem.empty()) {
    if (d.problem != st.problem)
      spdlog::warn("cruise control {}/{}: stopping task {} of deleted operation {}: {}; trying again", st.ns,
                   st.cluster_name, d.stopped_task, d.operation, d.problem);
    st.problem = d.problem;
    return later(self, st.kube->settings.cc_poll);
  }
  st.problem.clear();
  st.stopping.erase(d.stopped_task);
  spdlog::info("cruise control {}/{}: task {} of deleted operation {} no longer executes", st.ns, st.cluster_name,
               d.stopped_task, d.operation);
  queue_pass(self);
}

void on_step_done(cc_self self, cc_step_done& d) {
  auto& st = self->state;
  st.step_in_flight = false;
  if (st.dirty)
    queue_pass(self);
  if (!d.stopped_task.empty())
    return on_stop_done(self, d);
  if (!d.update) {
    if (d.problem != st.problem)
      spdlog::warn("cruise control {}/{}: {}: {}; trying again", st.ns, st.cluster_name, d.operation, d.problem);
    st.problem = d.problem;
    later(self, st.kube->settings.cc_poll);
    return;
  }
  st.problem.clear();
  if (d.adopted)
    spdlog::info("cruise control {}/{}: {} takes over Cruise Control's task {} ({}) instead of asking again", st.ns,
                 st.cluster_name, d.operation, d.update->task_id, d.update->state);
  bool still_running = d.update->state == "Active" || d.update->state == "InExecution";
  // Known as running from now on, not only from the next pass: a delete landing before that pass (or before
  // the status write below) still stops the task.
  if (still_running && !d.update->task_id.empty())
    st.running[d.operation] = d.update->task_id;
  auto object = st.kube->cc_operations->get(st.ns, d.operation);
  if (!object)
    return queue_pass(self); // deleted meanwhile: the pass finds it gone and stops its task
  if (auto w = st.written.find(d.operation);
      w != st.written.end() && model::string_or(*object, "/metadata/resourceVersion"_json_pointer) == w->second.first)
    object = w->second.second; // build on our own last write, not on the cache's older copy
  auto op = model::parse_cc_operation(*object);
  if (!op.is_ok())
    return queue_pass(self);
  auto status = model::render_cc_operation_status(op.value(), *d.update, object->value("status", json{}), rfc3339_now());
  if (still_running)
    later(self, st.kube->settings.cc_poll);
  if (status == object->value("status", json{}))
    return;
  if (d.update->state != op.value().state)
    spdlog::info("cruise control {}/{}: {} {} {}{}", st.ns, st.cluster_name, model::to_string(op.value().kind), d.operation,
                 d.update->state, d.update->error_message.empty() ? "" : ": " + d.update->error_message);
  if (st.kube->events && d.update->state != op.value().state && !still_running) {
    k8s::object_reference ref{model::cc_operation_api_version, "CruiseControlOperation", st.ns, d.operation,
                              model::string_or(*object, "/metadata/uid"_json_pointer)};
    if (d.update->state == "Completed")
      st.kube->events->normal(ref, "OperationCompleted", std::string(model::to_string(op.value().kind)) + " completed");
    else
      st.kube->events->warning(ref, "Operation" + d.update->state,
                              std::string(model::to_string(op.value().kind)) + ": " + d.update->error_message);
  }
  st.kube->metrics->cc_operation(d.update->state);
  json updated = *object;
  updated["status"] = std::move(status);
  st.written[d.operation] = {model::string_or(*object, "/metadata/resourceVersion"_json_pointer), updated};
  auto done = completion(self);
  st.kube->client->update_status(k8s::resources::cruise_control_operations(), st.ns, std::move(updated),
                                [done, key = write_key{write_verb::update_status, model::resource_kind::cruise_control_operation,
                                                       st.ns, d.operation}](k8s::api_result<json> r) {
                                  write_completed wc{key};
                                  if (!r.is_ok()) {
                                    wc.ok = false;
                                    wc.error = r.error().to_string();
                                    wc.conflict = r.error().kind == k8s::api_error_kind::conflict;
                                  }
                                  done(std::move(wc));
                                });
}

void observe(cc_self self, uint64_t seq) {
  auto& st = self->state;
  if (st.observe_in_flight) {
    st.observe_wanted = seq;
    return;
  }
  st.observe_in_flight = true;
  cruise_control_actor handle = self;
  auto cluster = st.cluster;
  start_cc_observe(st.cc, seq, [handle, cluster](cruise_control_observed o) {
    caf::anon_send(cluster, std::move(o));
    caf::anon_send(handle, refresh_atom::value, uint64_t{0}); // 0: the observation ended
  });
}

cruise_control_actor::behavior_type cc_behavior(cc_self self, std::string ns, std::string name, kube_ports kube,
                                                std::shared_ptr<cc::cruise_control> client, cluster_actor cluster) {
  self->state.ns = std::move(ns);
  self->state.cluster_name = std::move(name);
  self->state.kube = std::move(kube);
  self->state.cc = std::move(client);
  self->state.cluster = std::move(cluster);
  self->monitor(self->state.cluster); // ends with its cluster actor, whatever the reason
  self->set_down_handler([=](caf::down_msg&) { self->quit(); });
  queue_pass(self);
  return {
      [=](const object_changed&) { queue_pass(self); },
      [=](refresh_atom, uint64_t seq) {
        auto& st = self->state;
        if (seq != 0)
          return observe(self, seq);
        st.observe_in_flight = false;
        if (st.observe_wanted) {
          auto next = *st.observe_wanted;
          st.observe_wanted.reset();
          observe(self, next);
        }
      },
      [=](cc_step_done& d) { on_step_done(self, d); },
      [=](const write_completed& wc) {
        auto& st = self->state;
        --st.writes_in_flight;
        if (!wc.ok && wc.key.verb == write_verb::update_status && wc.key.kind == model::resource_kind::cruise_control_operation)
          st.written.erase(wc.key.name); // not recorded: the cache is right
        if (!wc.ok && !wc.conflict) {
          spdlog::warn("cruise control {}/{}: {}: {}", st.ns, st.cluster_name, wc.key.to_string(), wc.error);
          later(self, retry_delay(st.kube->settings, retry_reason::operation_write_failed));
        }
        if (st.writes_in_flight == 0)
          queue_pass(self); // the next step follows from the recorded one
      },
      [=](pass_atom) { run_pass(self); },
      [=](tick_atom, uint64_t generation) {
        if (generation == self->state.timer)
          queue_pass(self);
      },
  };
}

} // namespace

cruise_control_actor spawn_cruise_control_actor(caf::actor_system& sys, std::string ns, std::string name, kube_ports kube,
                                                std::shared_ptr<cc::cruise_control> cc, cluster_actor cluster) {
  return sys.spawn(cc_behavior, std::move(ns), std::move(name), std::move(kube), std::move(cc), std::move(cluster));
}

} // namespace kactor::actors
