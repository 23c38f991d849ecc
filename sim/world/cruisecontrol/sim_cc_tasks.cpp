// The simulated Cruise Control's user tasks and executor: computing a task's proposal (now, or after
// compute_delay), starting its execution (one per cluster), feeding its moves to the simulated Kafka
// concurrent_moves at a time, and ending it Completed or CompletedWithError. Called with impl::mutex
// held, except run_executor which takes it.
#include <algorithm>

#include "sim/world/cruisecontrol/sim_cc_state.hpp"

namespace kactor::sim::cc {

namespace {

const std::string ongoing = "java.lang.IllegalStateException: Cannot start a new execution while there is an "
                            "ongoing execution.";

void finish(cc_cluster& c, task& t, bool ok) {
  t.state = ok ? task_state::completed : task_state::completed_with_error;
  if (c.executing == t.id)
    c.executing.clear();
}

void fail_with(task& t, const std::string& what) {
  t.result.clear(); // the answer is the error, not the proposal
  t.error_body = error_body("POST", t.endpoint, what);
  t.state = task_state::completed_with_error;
}

/// Computes `t`'s proposal and starts its execution (unless dry run).
void compute(sim_cruise_control::impl& k, cc_cluster& c, task& t) {
  // As CC's sanityCheckDryRun: an execution request during an ongoing execution is refused before any
  // proposal is computed.
  if (!t.dry_run && !c.executing.empty())
    return fail_with(t, ongoing);
  auto v = k.kafka.view(c.ns, c.name);
  auto r = plan(t.endpoint, t.params, v, c.removed_within(k.opts.removal_history_retention));
  if (!r.plan)
    return fail_with(t, r.error);
  t.result = optimization_result(*r.plan, v);
  if (t.dry_run) {
    t.state = task_state::completed;
    return;
  }
  if (!c.executing.empty())
    return fail_with(t, ongoing);
  t.pending = std::move(r.plan->moves);
  t.demote = std::move(r.plan->demote);
  t.total_moves = int32_t(t.pending.size());
  t.total_leader_moves = r.plan->leader_movements;
  t.state = task_state::in_execution;
  c.executing = t.id;
  if (c.fail_next > 0) {
    --c.fail_next;
    t.failed = true;
  }
  if (t.endpoint == "remove_broker")
    for (const auto& [key, value] : t.params)
      if (key == "brokerid")
        for (size_t i = 0; i < value.size();) {
          auto j = value.find(',', i);
          c.recently_removed[std::stoi(value.substr(i, j - i))] = clock_type::now(); // Executor: at execution start
          i = j == std::string::npos ? value.size() : j + 1;
        }
  for (auto b : t.demote)
    c.recently_demoted.push_back(b);
}

/// One executor step of the cluster's execution.
void step(sim_cruise_control::impl& k, cc_cluster& c) {
  auto now = clock_type::now();
  for (auto& t : c.tasks)
    if (t.state == task_state::active && now >= t.ready_at)
      compute(k, c, t);
  evict_completed(k, c);
  task* t = c.executing.empty() ? nullptr : c.find(c.executing);
  if (!t)
    return c.executing.clear();
  if (t->failed)
    return finish(c, *t, false); // the fault: the executor gives up before moving anything
  for (auto b : t->demote)
    k.kafka.demote(c.ns, c.name, b);
  t->demote.clear();
  for (auto it = t->running.begin(); it != t->running.end();) {
    auto s = k.kafka.status_of(it->first);
    if (s == move_status::pending) {
      ++it;
      continue;
    }
    ++t->finished_moves;
    if (s != move_status::done)
      t->failed = true;
    it = t->running.erase(it);
  }
  while (!t->pending.empty() && int32_t(t->running.size()) < k.opts.concurrent_moves) {
    auto m = t->pending.front();
    t->pending.erase(t->pending.begin());
    auto id = k.kafka.start_move(c.ns, c.name, m);
    if (!id.is_ok()) {
      t->failed = true; // the cluster changed since the proposal: this move cannot be made
      ++t->finished_moves;
      continue;
    }
    t->running.emplace(id.value(), m);
  }
  // A move whose partition has no live leader stays pending in the simulated Kafka (nothing to copy from):
  // the execution, and so the task, stays InExecution until the partition is back — never Completed with
  // the replica still on its source.
  if (t->running.empty() && t->pending.empty())
    finish(c, *t, !t->failed);
}

bool done(const task& t) {
  return t.state == task_state::completed || t.state == task_state::completed_with_error;
}

} // namespace

task* cc_cluster::find(const std::string& id) {
  auto it = std::find_if(tasks.begin(), tasks.end(), [&](const task& t) { return t.id == id; });
  return it == tasks.end() ? nullptr : &*it;
}

int32_t cc_cluster::active_count() const {
  return int32_t(std::count_if(tasks.begin(), tasks.end(), [](const task& t) {
    return t.state == task_state::active || t.state == task_state::in_execution;
  }));
}

std::set<int32_t> cc_cluster::removed_within(std::chrono::milliseconds retention) {
  std::set<int32_t> out;
  auto now = clock_type::now();
  for (auto it = recently_removed.begin(); it != recently_removed.end();)
    if (now - it->second >= retention)
      it = recently_removed.erase(it);
    else
      out.insert((it++)->first);
  return out;
}

void evict_completed(sim_cruise_control::impl& k, cc_cluster& c) {
  // UserTaskManager: completed tasks are dropped once older than completed.user.task.retention.time.ms, and
  // the oldest beyond max.cached.completed.user.tasks. A task's end is stamped when first seen done.
  auto now = clock_type::now();
  for (auto it = c.tasks.begin(); it != c.tasks.end();) {
    if (done(*it) && it->ended == clock_type::time_point{})
      it->ended = now;
    if (done(*it) && now - it->ended >= k.opts.completed_task_retention)
      it = c.tasks.erase(it);
    else
      ++it;
  }
  while (c.tasks.size() > k.opts.max_remembered_tasks) {
    auto it = std::find_if(c.tasks.begin(), c.tasks.end(), done);
    if (it == c.tasks.end())
      break;
    c.tasks.erase(it);
  }
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

answer current_answer(const task& t) {
  if (t.state == task_state::active)
    return {202, progress_body(t), t.id};
  if (!t.result.empty())
    return {200, t.result, t.id};
  return {500, t.error_body.empty() ? error_body("POST", t.endpoint, "java.lang.RuntimeException: task failed")
                                    : t.error_body,
          t.id};
}

answer submit(sim_cruise_control::impl& k, cc_cluster& c, task t) {
  t.started = clock_type::now();
  t.ready_at = t.started + k.opts.compute_delay;
  t.start_ms = now_ms();
  c.tasks.push_back(std::move(t));
  task& added = c.tasks.back();
  if (k.opts.compute_delay.count() == 0)
    compute(k, c, added);
  auto out = current_answer(added);
  evict_completed(k, c);
  k.wake.notify_all();
  return out;
}

answer stop_execution(sim_cruise_control::impl& k, cc_cluster& c, task t) {
  if (task* running = c.executing.empty() ? nullptr : c.find(c.executing)) {
    std::vector<uint64_t> ids;
    for (const auto& [id, m] : running->running)
      ids.push_back(id);
    k.kafka.cancel_moves(c.ns, c.name, ids);
    running->running.clear();
    running->pending.clear();
    finish(c, *running, false);
  }
  c.executing.clear();
  t.started = clock_type::now();
  t.start_ms = now_ms();
  t.result = json{{"message", "Proposal execution stopped."}, {"version", 1}}.dump();
  t.state = task_state::completed;
  c.tasks.push_back(std::move(t));
  return {200, c.tasks.back().result, c.tasks.back().id};
}

void forget_all(sim_cruise_control::impl& k, cc_cluster& c) {
  if (task* running = c.executing.empty() ? nullptr : c.find(c.executing)) {
    std::vector<uint64_t> ids;
    for (const auto& [id, m] : running->running)
      ids.push_back(id);
    k.kafka.cancel_moves(c.ns, c.name, ids);
  }
  c.executing.clear();
  c.tasks.clear();
  c.recently_removed.clear();
  c.recently_demoted.clear();
  c.started = clock_type::now();
}

void run_executor(const std::shared_ptr<sim_cruise_control::impl>& k) {
  std::unique_lock run_lock(k->run_mutex);
  while (k->running) {
    k->wake.wait_for(run_lock, k->opts.tick, [&] { return !k->running; });
    if (!k->running)
      break;
    run_lock.unlock();
    {
      std::lock_guard lock(k->mutex);
      for (auto& [key, c] : k->clusters)
        step(*k, c);
    }
    run_lock.lock();
  }
}

} // namespace kactor::sim::cc
