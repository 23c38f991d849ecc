#include "model/diff/graceful_plan.hpp"

#include <algorithm>

namespace kactor::model {

namespace {

constexpr const char* upscale = "Upscale";
constexpr const char* downscale = "Downscale";
constexpr const char* disk_rebalance = "DiskRebalance";
constexpr const char* disk_removal = "DiskRemoval";

std::string graceful(const std::string& what, const std::string& stage) { return "Graceful" + what + stage; }

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string join_ids(const std::vector<int32_t>& ids) {
  std::string out;
  for (auto id : ids)
    out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

/// The stage an operation puts its items in.
std::string stage_of(const cc_operation& op) {
  if (op.paused)
    return "Paused";
  if (op.state.empty())
    return "Scheduled";
  if (op.state == "Completed")
    return "Succeeded";
  if (op.failed() && op.error_policy == "ignore")
    return "CompletedWithError";
  return "Running";
}

class planner {
public:
  explicit planner(const graceful_inputs& in) : in_(in) {
    for (const auto& op : in.operations)
      ops_[op.name] = &op;
  }

  graceful_plan run() {
    std::set<int32_t> ids;
    for (const auto& [id, d] : in_.spec_disks)
      ids.insert(id);
    for (const auto& [id, d] : in_.observed_disks)
      ids.insert(id);
    for (auto id : ids) {
      if (in_.ignored.count(id))
        continue;
      if (in_.spec_disks.count(id))
        spec_broker(id);
      else
        leaving_broker(id);
    }
    create_add_broker();
    create_batch(cc_operation_kind::remove_broker, remove_required_, downscale);
    create_disk_operations();
    return std::move(plan_);
  }

private:
  const cc_operation* find(const std::optional<std::string>& name) const {
    if (!name)
      return nullptr;
    auto it = ops_.find(*name);
    return it == ops_.end() ? nullptr : it->second;
  }

  /// An unfinished operation of `kind` that already covers broker `id` (and `log_dir` for remove_disks).
  const cc_operation* adoptable(cc_operation_kind kind, int32_t id, const std::string& log_dir) const {
    const cc_operation* best = nullptr;
    for (const auto& op : in_.operations) {
      if (op.kind != kind || op.finished_for_good())
        continue;
      auto brokers = op.brokers();
      if (std::find(brokers.begin(), brokers.end(), id) == brokers.end())
        continue;
      if (kind == cc_operation_kind::remove_disks) {
        auto dirs = op.log_dirs()[id];
        if (std::find(dirs.begin(), dirs.end(), log_dir) == dirs.end())
          continue;
      }
      if (!best || std::tie(op.creation_timestamp, op.name) < std::tie(best->creation_timestamp, best->name))
        best = &op;
    }
    return best;
  }

  /// Moves one item (a broker, or a disk when log_dir is set) along its operation; returns the stage.
  std::string follow(std::string& state, std::optional<std::string>& ref, const std::string& what, cc_operation_kind kind,
                     int32_t id, const std::string& log_dir, const std::string& label) {
    if (state == graceful(what, "Succeeded"))
      return "Succeeded";
    const cc_operation* op = find(ref);
    if (!op)
      op = adoptable(kind, id, log_dir);
    if (!op) {
      state = graceful(what, "Required");
      ref.reset();
      return "Required";
    }
    ref = op->name;
    auto stage = stage_of(*op);
    state = graceful(what, stage);
    if (stage != "Succeeded") {
      plan_.needs_cruise_control = true;
      plan_.waiting.push_back(label + ": " + to_string(kind) + " " + op->name + " "
                              + (op->paused ? "paused" : op->state.empty() ? "scheduled" : op->state)
                              + (op->error_message.empty() ? "" : " (" + op->error_message + ")"));
    }
    return stage;
  }

  static std::string broker_label(int32_t id) { return "broker " + std::to_string(id); }

  void spec_broker(int32_t id) {
    auto prev_it = in_.previous.find(id);
    const graceful_action_state* prev = prev_it == in_.previous.end() ? nullptr : &prev_it->second;
    graceful_action_state s;
    if (!prev || prev->cruise_control_state.empty())
      s.cruise_control_state = graceful(upscale, in_.new_cluster ? "Succeeded" : "Required");
    else if (!starts_with(prev->cruise_control_state, graceful(upscale, "")))
      s.cruise_control_state = graceful(upscale, "Required"); // put back while draining: move data back
    else {
      s.cruise_control_state = prev->cruise_control_state;
      s.cruise_control_operation_name = prev->cruise_control_operation_name;
    }
    auto stage = follow(s.cruise_control_state, s.cruise_control_operation_name, upscale, cc_operation_kind::add_broker, id,
                        "", broker_label(id));
    if (stage == "Required")
      add_required_.push_back(id);
    disks(id, prev, s);
    plan_.states[id] = std::move(s);
  }

  /// What an answer says about the replicas on one broker or log dir.
  enum class verdict { empty, holds, unknown };

  /// Cruise Control's word on leaving broker `id` (see the file comment: only a listed, live, counted
  /// broker can be empty). `why` says what is missing or left.
  verdict cc_verdict(int32_t id, std::string& why) const {
    if (!in_.cruise_control) {
      why = "Cruise Control to confirm it holds no replicas";
      return verdict::unknown;
    }
    auto it = in_.cruise_control->find(id);
    if (it == in_.cruise_control->end() || !it->second.listed) {
      why = "Cruise Control does not list it (not listed means unknown, not empty)";
      return verdict::unknown;
    }
    const auto& b = it->second;
    if (b.replicas > 0 || b.offline_replicas > 0) {
      why = std::to_string(b.replicas) + " replicas (" + std::to_string(b.offline_replicas) + " offline) left by Cruise Control's count";
      return verdict::holds;
    }
    for (const auto& d : b.online_log_dirs)
      if (d == "broker_dead" || d == "timed_out") {
        why = "Cruise Control reports its log dirs as " + d;
        return verdict::unknown;
      }
    return verdict::empty;
  }

  /// Kafka's own word on broker `id`: its metadata's replica sets.
  verdict kafka_verdict(int32_t id, std::string& why) {
    if (!in_.kafka_replicas) {
      plan_.needs_kafka = true;
      why = "Kafka's metadata to confirm no partition names it (no fresh answer)";
      return verdict::unknown;
    }
    auto it = in_.kafka_replicas->find(id);
    if (it != in_.kafka_replicas->end() && it->second > 0) {
      why = "Kafka's metadata still names it in " + std::to_string(it->second) + " replica sets";
      return verdict::holds;
    }
    return verdict::empty;
  }

  void leaving_broker(int32_t id) {
    auto prev_it = in_.previous.find(id);
    graceful_action_state s;
    if (prev_it != in_.previous.end() && starts_with(prev_it->second.cruise_control_state, graceful(downscale, ""))) {
      s = prev_it->second;
    } else {
      s.cruise_control_state = graceful(downscale, "Required");
      if (prev_it != in_.previous.end())
        s.volume_states = prev_it->second.volume_states;
    }
    leaving_.push_back(id);
    bool was_done = s.cruise_control_state == graceful(downscale, "Succeeded");
    auto stage = follow(s.cruise_control_state, s.cruise_control_operation_name, downscale, cc_operation_kind::remove_broker,
                        id, "", broker_label(id));
    if (stage == "Succeeded") {
      // Completed is not enough (Koperator #829, #272, #776): Cruise Control must list the broker empty,
      // and Kafka's own metadata must name no replica on it — checked again before each step.
      bool has_pod = in_.pod_mounts.count(id) > 0;
      std::string cc_why, kafka_why;
      auto cc = cc_verdict(id, cc_why);
      auto kafka = kafka_verdict(id, kafka_why);
      if (cc == verdict::holds || kafka == verdict::holds) {
        plan_.waiting.push_back(broker_label(id) + ": " + (cc == verdict::holds ? cc_why : kafka_why) + " after "
                                + s.cruise_control_operation_name.value_or("its drain") + "; draining again");
        s.cruise_control_state = graceful(downscale, "Required");
        s.cruise_control_operation_name.reset();
        stage = "Required";
      } else if (!was_done && cc == verdict::unknown) {
        s.cruise_control_state = graceful(downscale, "Running");
        plan_.needs_cruise_control = true;
        plan_.waiting.push_back(broker_label(id) + ": " + cc_why);
      } else if (kafka == verdict::unknown) {
        plan_.waiting.push_back(broker_label(id) + ": " + kafka_why + "; nothing of it is stopped or deleted");
      } else if (has_pod) {
        plan_.stop_brokers.push_back(id);
        plan_.needs_kafka = true; // the check after the pod is gone
      } else {
        plan_.remove_brokers.push_back(id);
      }
    }
    if (stage == "Required")
      remove_required_.push_back(id);
    plan_.states[id] = std::move(s);
  }

  void disks(int32_t id, const graceful_action_state* prev, graceful_action_state& s) {
    const auto& spec = in_.spec_disks.at(id);
    auto obs_it = in_.observed_disks.find(id);
    std::vector<std::string> observed = obs_it == in_.observed_disks.end() ? std::vector<std::string>{} : obs_it->second;
    auto has = [](const std::vector<std::string>& v, const std::string& m) { return std::find(v.begin(), v.end(), m) != v.end(); };
    bool broker_new = !prev || prev->cruise_control_state.empty();
    std::set<std::string> mounts(spec.begin(), spec.end());
    mounts.insert(observed.begin(), observed.end());
    for (const auto& m : mounts) {
      volume_state v;
      const volume_state* pv = nullptr;
      if (prev)
        if (auto it = prev->volume_states.find(m); it != prev->volume_states.end())
          pv = &it->second;
      auto label = broker_label(id) + " disk " + m;
      if (has(spec, m)) {
        if (pv && starts_with(pv->cruise_control_volume_state, graceful(disk_rebalance, "")))
          v = *pv;
        else if (!pv && (broker_new || has(observed, m)))
          v.cruise_control_volume_state = graceful(disk_rebalance, "Succeeded"); // there from the start
        else
          v.cruise_control_volume_state = graceful(disk_rebalance, "Required"); // added, or put back
        auto stage = follow(v.cruise_control_volume_state, v.cruise_control_operation_name, disk_rebalance,
                            cc_operation_kind::rebalance, id, "", label);
        if (stage == "Required")
          rebalance_required_[id].push_back(m);
      } else {
        if (pv && starts_with(pv->cruise_control_volume_state, graceful(disk_removal, "")))
          v = *pv;
        else
          v.cruise_control_volume_state = graceful(disk_removal, "Required");
        bool was_done = v.cruise_control_volume_state == graceful(disk_removal, "Succeeded");
        auto stage = follow(v.cruise_control_volume_state, v.cruise_control_operation_name, disk_removal,
                            cc_operation_kind::remove_disks, id, log_dir_of(m), label);
        auto pod = in_.pod_mounts.find(id);
        bool unmounted = pod != in_.pod_mounts.end() && !pod->second.count(m); // the running pod no longer mounts it
        if (stage == "Succeeded" && !unmounted) {
          // Checked again while Kafka can still place replicas on it (Completed is not "empty").
          switch (disk_verdict(id, m, label)) {
          case verdict::empty: break;
          case verdict::holds:
            v.cruise_control_volume_state = graceful(disk_removal, "Required");
            v.cruise_control_operation_name.reset();
            stage = "Required";
            break;
          case verdict::unknown:
            if (!was_done)
              v.cruise_control_volume_state = graceful(disk_removal, "Running");
            stage = "Running";
            break;
          }
        }
        if (stage == "Required")
          removal_required_[id].push_back(m);
        if (stage == "Succeeded")
          plan_.remove_disks[id].insert(m);
        else
          plan_.keep_disks[id].insert(m);
      }
      s.volume_states[m] = std::move(v);
    }
  }

  /// A fresh answer with per-disk figures for the broker shows its log dir empty; anything less is unknown.
  verdict disk_verdict(int32_t id, const std::string& mount, const std::string& label) {
    auto unknown = [&](const std::string& why) {
      plan_.needs_cruise_control = true;
      plan_.waiting.push_back(label + ": " + why);
      return verdict::unknown;
    };
    if (!in_.cruise_control)
      return unknown("Cruise Control to confirm the log dir is empty");
    auto b = in_.cruise_control->find(id);
    if (b == in_.cruise_control->end() || !b->second.listed)
      return unknown("Cruise Control does not list the broker (unknown, not empty)");
    if (!b->second.disk_data)
      return unknown("Cruise Control gave no per-disk figures for the broker (unknown, not empty)");
    auto d = b->second.log_dir_replicas.find(log_dir_of(mount));
    if (d == b->second.log_dir_replicas.end())
      return unknown("Cruise Control does not list the log dir (unknown, not empty)");
    if (d->second == 0)
      return verdict::empty;
    plan_.needs_cruise_control = true;
    plan_.waiting.push_back(label + ": " + std::to_string(d->second) + " replicas on the log dir; draining it again");
    return verdict::holds;
  }

  std::string new_name(cc_operation_kind kind) const {
    std::string k = to_string(kind);
    std::replace(k.begin(), k.end(), '_', '-');
    return in_.cluster + "-" + k + "-" + in_.name_suffix;
  }

  void schedule(const cc_operation_request& r, const std::vector<int32_t>& ids, const std::string& what) {
    for (auto id : ids) {
      auto& s = plan_.states[id];
      s.cruise_control_state = graceful(what, "Scheduled");
      s.cruise_control_operation_name = r.name;
    }
  }

  void create_add_broker() {
    if (add_required_.empty())
      return;
    plan_.needs_cruise_control = true;
    std::vector<int32_t> unseen;
    for (auto id : add_required_) {
      const cc_broker_view* b = nullptr;
      if (in_.cruise_control)
        if (auto it = in_.cruise_control->find(id); it != in_.cruise_control->end())
          b = &it->second;
      if (!b || (b->state != "ALIVE" && b->state != "NEW"))
        unseen.push_back(id);
    }
    if (!unseen.empty()) {
      plan_.waiting.push_back("brokers " + join_ids(add_required_) + ": add_broker waits for Cruise Control to see broker"
                              + (unseen.size() > 1 ? "s " : " ") + join_ids(unseen) + " alive");
      return;
    }
    cc_operation_request r{new_name(cc_operation_kind::add_broker), cc_operation_kind::add_broker,
                           {{"brokerid", join_ids(add_required_)}}};
    schedule(r, add_required_, upscale);
    plan_.create.push_back(std::move(r));
  }

  void create_batch(cc_operation_kind kind, const std::vector<int32_t>& ids, const std::string& what) {
    if (ids.empty())
      return;
    plan_.needs_cruise_control = true;
    if (kind == cc_operation_kind::remove_broker)
      for (const auto& op : in_.operations)
        if (op.kind == kind && !op.finished_for_good()) {
          // One removal at a time: the next names every leaving broker once this one is over (a second task
          // beside it would drain the same brokers twice, and could not name the new ones as excluded).
          plan_.waiting.push_back("brokers " + join_ids(ids) + ": remove_broker waits for " + op.name + " to finish");
          return;
        }
    cc_operation_request r{new_name(kind), kind, {{"brokerid", join_ids(ids)}}};
    if (kind == cc_operation_kind::remove_broker) {
      // Every leaving broker in one request: Cruise Control moves replicas onto none of them, also not onto
      // one whose own drain completed (its removal history is lost when Cruise Control restarts).
      r.parameters["brokerid"] = join_ids(leaving_);
      r.parameters["exclude_recently_removed_brokers"] = "true";
    }
    schedule(r, ids, what);
    plan_.create.push_back(std::move(r));
  }

  void create_disk_operations() {
    std::vector<int32_t> ready;
    for (const auto& [id, mounts] : rebalance_required_) {
      plan_.needs_cruise_control = true;
      const cc_broker_view* b = nullptr;
      if (in_.cruise_control)
        if (auto it = in_.cruise_control->find(id); it != in_.cruise_control->end())
          b = &it->second;
      bool online = b && std::all_of(mounts.begin(), mounts.end(), [&](const std::string& m) {
        return std::find(b->online_log_dirs.begin(), b->online_log_dirs.end(), log_dir_of(m)) != b->online_log_dirs.end();
      });
      if (online)
        ready.push_back(id);
      else
        plan_.waiting.push_back(broker_label(id) + ": rebalance waits for Cruise Control to see its new log dir online");
    }
    if (!ready.empty()) {
      cc_operation_request r{new_name(cc_operation_kind::rebalance), cc_operation_kind::rebalance,
                             {{"destination_broker_ids", join_ids(ready)}, {"rebalance_disk", "true"}}};
      for (auto id : ready)
        for (const auto& m : rebalance_required_[id]) {
          auto& v = plan_.states[id].volume_states[m];
          v.cruise_control_volume_state = graceful(disk_rebalance, "Scheduled");
          v.cruise_control_operation_name = r.name;
        }
      plan_.create.push_back(std::move(r));
    }
    if (!removal_required_.empty()) {
      plan_.needs_cruise_control = true;
      std::string dirs;
      for (const auto& [id, mounts] : removal_required_)
        for (const auto& m : mounts)
          dirs += (dirs.empty() ? "" : ",") + std::to_string(id) + "-" + log_dir_of(m);
      cc_operation_request r{new_name(cc_operation_kind::remove_disks), cc_operation_kind::remove_disks,
                             {{"brokerid_and_logdirs", dirs}}};
      for (const auto& [id, mounts] : removal_required_)
        for (const auto& m : mounts) {
          auto& v = plan_.states[id].volume_states[m];
          v.cruise_control_volume_state = graceful(disk_removal, "Scheduled");
          v.cruise_control_operation_name = r.name;
        }
      plan_.create.push_back(std::move(r));
    }
  }

  const graceful_inputs& in_;
  std::map<std::string, const cc_operation*> ops_;
  graceful_plan plan_;
  std::vector<int32_t> add_required_, remove_required_;
  std::vector<int32_t> leaving_; ///< every broker left the spec with objects, by id
  std::map<int32_t, std::vector<std::string>> rebalance_required_, removal_required_;
};

} // namespace

std::string log_dir_of(const std::string& mount_path) { return mount_path + "/kafka"; }

namespace {

/// "Graceful...Scheduled" → "Graceful...Required".
void back_to_required(std::string& state) {
  static const std::string scheduled = "Scheduled";
  if (auto at = state.rfind(scheduled); at != std::string::npos && at + scheduled.size() == state.size())
    state.replace(at, scheduled.size(), "Required");
}

/// Without Cruise Control the operations the plan asks for cannot exist: their items stay Required.
void hold_without_cruise_control(graceful_plan& plan) {
  if (plan.create.empty())
    return;
  plan.needs_cruise_control = true;
  for (const auto& r : plan.create)
    for (auto& [id, s] : plan.states) {
      if (s.cruise_control_operation_name == r.name) {
        back_to_required(s.cruise_control_state);
        s.cruise_control_operation_name.reset();
      }
      for (auto& [mount, v] : s.volume_states)
        if (v.cruise_control_operation_name == r.name) {
          back_to_required(v.cruise_control_volume_state);
          v.cruise_control_operation_name.reset();
        }
    }
  plan.create.clear();
}

} // namespace

graceful_plan plan_graceful(const graceful_inputs& in) {
  auto plan = planner(in).run();
  if (!in.cruise_control_available)
    hold_without_cruise_control(plan);
  return plan;
}

} // namespace kactor::model
