#include "actors/cruise_control_calls.hpp"

#include <algorithm>

#include "model/cruisecontrol/cc_adopt.hpp"

namespace kactor::actors {

namespace cc = integrations::cruisecontrol;
using messages::cc_step_done;

namespace {

std::vector<int32_t> ids(const model::cc_operation& op, const char* key) {
  model::cc_operation one;
  if (auto it = op.parameters.find(key); it != op.parameters.end())
    one.parameters["brokerid"] = it->second;
  return one.brokers();
}

std::string request_line(const model::cc_operation& op) {
  std::string query;
  for (const auto& [k, v] : op.parameters)
    query += (query.empty() ? "?" : "&") + k + "=" + v;
  return "POST /kafkacruisecontrol/" + std::string(model::to_string(op.kind)) + query;
}

/// Errors that say "not now" rather than "no".
bool transient(const cc::cc_error& e) {
  using k = cc::cc_error::kind;
  return e.what == k::unavailable || e.what == k::not_ready || e.what == k::busy;
}

std::map<std::string, std::string> summary_of(const cc::optimization_summary& s) {
  return {{"numReplicaMovements", std::to_string(s.num_replica_movements)},
          {"numIntraBrokerReplicaMovements", std::to_string(s.num_intra_broker_replica_movements)},
          {"numLeaderMovements", std::to_string(s.num_leader_movements)},
          {"dataToMoveMB", std::to_string(s.data_to_move_mb)},
          {"intraBrokerDataToMoveMB", std::to_string(s.intra_broker_data_to_move_mb)}};
}

const char* state_word(cc::task_status s) {
  switch (s) {
  case cc::task_status::active: return "Active";
  case cc::task_status::in_execution: return "InExecution";
  case cc::task_status::completed: return "Completed";
  case cc::task_status::completed_with_error: return "CompletedWithError";
  case cc::task_status::unknown: return "Unknown";
  }
  return "Unknown";
}

} // namespace

namespace {

void submit(std::shared_ptr<cc::cruise_control> client, const model::cc_operation& op, std::function<void(cc_step_done)> done) {
  auto finish = [name = op.name, line = request_line(op), done](cc::cc_result<cc::operation_result> r) {
    cc_step_done d{name, std::nullopt, ""};
    if (r.is_ok()) {
      const auto& v = r.value();
      model::cc_task_update u;
      u.task_id = v.task_id;
      u.state = v.still_computing() ? "Active" : "InExecution";
      u.http_request = line;
      u.http_code = v.http_status;
      if (v.summary)
        u.summary = summary_of(*v.summary);
      u.new_task = true;
      d.update = std::move(u);
    } else if (transient(r.error())) {
      d.problem = r.error().to_string();
    } else {
      model::cc_task_update u;
      u.state = "CompletedWithError";
      u.error_message = r.error().to_string();
      u.http_request = line;
      u.http_code = r.error().http_status;
      u.new_task = true;
      d.update = std::move(u);
    }
    done(std::move(d));
  };
  cc::operation_options opts;
  switch (op.kind) {
  case model::cc_operation_kind::add_broker:
    return client->add_broker(ids(op, "brokerid"), opts, finish);
  case model::cc_operation_kind::remove_broker:
    if (auto it = op.parameters.find("exclude_recently_removed_brokers"); it != op.parameters.end())
      opts.exclude_recently_removed_brokers = it->second == "true";
    return client->remove_broker(ids(op, "brokerid"), opts, finish);
  case model::cc_operation_kind::rebalance: {
    auto disk = op.parameters.find("rebalance_disk");
    return client->rebalance(ids(op, "destination_broker_ids"), disk != op.parameters.end() && disk->second == "true", opts,
                             finish);
  }
  case model::cc_operation_kind::remove_disks:
    return client->remove_disks(op.log_dirs(), opts, finish);
  }
}

} // namespace

void start_cc_submit(std::shared_ptr<cc::cruise_control> client, const model::cc_operation& op,
                     std::function<void(cc_step_done)> done, bool adopt) {
  if (!adopt) // test-only: proves the checker catches an intent asked of Cruise Control twice
    return submit(client, op, done);
  // Ask first: a task for this intent may exist already (a lost answer, an unrecorded task id, a crash).
  client->user_tasks({}, [client, op, done](cc::cc_result<std::vector<cc::user_task>> r) {
    if (!r.is_ok()) {
      cc_step_done d{op.name, std::nullopt, r.error().to_string()};
      return done(std::move(d)); // not knowing what CC runs, never submit: ask again later
    }
    std::vector<model::cc_known_task> known;
    for (const auto& t : r.value())
      known.push_back({t.id, t.endpoint, t.request_params, state_word(t.status), t.start_ms});
    auto adopt = model::task_to_adopt(op, known);
    if (!adopt)
      return submit(client, op, done);
    const auto& t = *std::find_if(r.value().begin(), r.value().end(), [&](const cc::user_task& u) { return u.id == adopt->id; });
    model::cc_task_update u;
    u.task_id = t.id;
    u.state = adopt->state;
    u.http_request = t.request_url;
    u.error_message = t.error_message;
    if (t.status == cc::task_status::completed_with_error && u.error_message.empty())
      u.error_message = "Cruise Control ended the task with an error";
    if (t.summary)
      u.summary = summary_of(*t.summary);
    u.new_task = true;
    done(cc_step_done{op.name, std::move(u), "", true});
  });
}

void start_cc_poll(std::shared_ptr<cc::cruise_control> client, const model::cc_operation& op,
                   std::function<void(cc_step_done)> done) {
  client->user_tasks({op.task_id}, [name = op.name, id = op.task_id, done](cc::cc_result<std::vector<cc::user_task>> r) {
    cc_step_done d{name, std::nullopt, ""};
    auto found = r.is_ok() ? std::find_if(r.value().begin(), r.value().end(), [&](const cc::user_task& t) { return t.id == id; })
                           : std::vector<cc::user_task>::const_iterator{};
    if (r.is_ok() && found != r.value().end()) {
      const auto& t = *found;
      model::cc_task_update u;
      u.state = state_word(t.status);
      u.error_message = t.error_message;
      if (t.status == cc::task_status::completed_with_error && u.error_message.empty())
        u.error_message = "Cruise Control ended the task with an error";
      if (t.summary)
        u.summary = summary_of(*t.summary);
      d.update = std::move(u);
    } else if (r.is_ok() || r.is(cc::cc_error::kind::not_found)) {
      model::cc_task_update u;
      u.state = "Unknown"; // Cruise Control restarted or evicted it: what it did is unknown, never a success
      u.error_message = "Cruise Control no longer knows task " + id + " (restarted?)";
      d.update = std::move(u);
    } else
      d.problem = r.error().to_string();
    done(std::move(d));
  });
}

void start_cc_stop(std::shared_ptr<cc::cruise_control> client, const std::string& operation, const std::string& task_id,
                   std::function<void(cc_step_done)> done) {
  client->user_tasks({task_id}, [client, operation, task_id, done](cc::cc_result<std::vector<cc::user_task>> r) {
    cc_step_done d{operation, std::nullopt, "", false, task_id};
    if (!r.is_ok()) {
      if (!r.is(cc::cc_error::kind::not_found)) // not found: forgotten (restart, eviction), nothing to stop
        d.problem = r.error().to_string();
      return done(std::move(d));
    }
    auto found = std::find_if(r.value().begin(), r.value().end(), [&](const cc::user_task& t) { return t.id == task_id; });
    if (found != r.value().end() && found->status == cc::task_status::active) {
      d.problem = "task " + task_id + " is still computing its proposal";
      return done(std::move(d));
    }
    if (found == r.value().end() || found->status != cc::task_status::in_execution)
      return done(std::move(d));
    client->stop_proposal_execution([d = std::move(d), done](cc::cc_result<cc::operation_result> s) mutable {
      if (!s.is_ok())
        d.problem = s.error().to_string();
      done(std::move(d));
    });
  });
}

void start_cc_observe(std::shared_ptr<cc::cruise_control> client, uint64_t seq,
                      std::function<void(messages::cruise_control_observed)> done) {
  client->kafka_cluster_state([client, seq, done](cc::cc_result<cc::kafka_cluster_state> r) {
    messages::cruise_control_observed o;
    o.seq = seq;
    if (!r.is_ok()) {
      o.error = r.error().to_string();
      o.http_status = r.error().http_status;
      return done(std::move(o));
    }
    for (const auto& b : r.value().brokers) {
      o.brokers[b.id] = {"", b.replicas, b.offline_replicas, b.online_log_dirs, {}};
      o.brokers[b.id].listed = true; // a broker only load names stays unlisted: unknown, never empty
    }
    o.ok = true;
    client->load([o = std::move(o), done](cc::cc_result<std::vector<cc::broker_load>> l) mutable {
      if (l.is_ok())
        for (const auto& b : l.value()) {
          auto& v = o.brokers[b.id];
          v.state = cc::to_string(b.state);
          v.disk_data = b.disk_state; // DiskState sent (even empty); none: nothing is known of its log dirs
          for (const auto& d : b.disks)
            v.log_dir_replicas[d.log_dir] = d.replicas;
        }
      else {
        o.error = l.error().to_string(); // replica counts are good; broker states are not known
        o.http_status = l.error().http_status;
      }
      done(std::move(o));
    });
  });
}

} // namespace kactor::actors
