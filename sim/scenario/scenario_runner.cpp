// run_scenario (scenario_runner.hpp): the glue of one run — the world set up, the cluster created, the
// timeline and the fault thread run, the end-of-run invariants judged, the record finished — and its
// summary for the terminal.
#include "sim/scenario/scenario_runner.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "sim/scenario/scenario_run.hpp"

namespace kactor::sim {

namespace detail {

using namespace std::chrono_literals;

std::string sim_time(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld.%01lld", (long long) (ms / 60000), (long long) (ms / 1000 % 60),
                (long long) (ms / 100 % 10));
  return buf;
}

run_record scenario_run::run() {
  rec_.scenario = s_.name;
  rec_.description = s_.description;
  rec_.seed = o_.seed;
  rec_.scale = s_.scale;
  rec_.invariants = invariant_checker::names();
  for (auto n : {"scope", "pvc-deleted", "convergence", "final-status", "alert-once", "cc-duplicate", "idle-writes"})
    rec_.invariants.push_back(n);
  schedule_ = fault_schedule(s_, o_.seed);
  auto wall0 = steady::now();
  std::string why;
  if (!set_up(why)) {
    rec_.steps.push_back({"set up", 0, 0, false, why});
    tear_down();
    return rec_;
  }
  clock_.t0 = steady::now();
  progress_.event("kactor sim: " + s_.name + " (seed " + std::to_string(o_.seed) + ", ×" + std::to_string(int(s_.scale))
                  + ", " + std::to_string(schedule_.size()) + " faults scheduled)");

  // Step 0: the cluster and its topics.
  run_one("create the cluster and its topics", [&] { return create_cluster(); });
  // The fault schedule counts from here: the world exists.
  auto offset = clock_.now_ms();
  for (auto& f : schedule_)
    f.at += sim_ms{offset};
  std::thread faults([this] { fault_loop(); });
  std::thread status([this] { status_loop(); });

  if (rec_.steps.back().ok)
    for (size_t i = 0; i < s_.steps.size(); ++i) {
      const auto& st = s_.steps[i];
      {
        std::lock_guard lock(mutex_);
        step_index_ = i + 1;
      }
      run_one(st.name.empty() ? default_name(st) : st.name, [&] { return run_step(st, i); });
    }

  // After the timeline: every fault has struck and ended, then the cluster must converge.
  if (rec_.steps.back().ok || rec_.steps.size() > 1)
    run_one("after the last fault: converge", [&] { return converge_after_faults(); });
  stopping_ = true;
  wake_.notify_all();
  faults.join();
  status.join();
  progress_.done();

  if (rec_.steps.back().ok)
    check_idle();
  check_cc_duplicates();
  return finish_record(wall0);
}

bool scenario_run::run_one(const std::string& name, const std::function<std::string()>& act) {
  {
    std::lock_guard lock(mutex_);
    step_name_ = name;
  }
  auto start = clock_.now_ms();
  auto problem = act();
  auto end = clock_.now_ms();
  {
    std::lock_guard lock(mutex_);
    rec_.steps.push_back({name, start, end, problem.empty(), problem});
  }
  std::ostringstream line;
  line << (problem.empty() ? "  ok    " : "  FAIL  ") << sim_time(start) << "  " << std::left << std::setw(36) << name
       << std::right << std::setw(8) << (end - start) / 1000 << " s" << (problem.empty() ? "" : "  " + problem);
  progress_.event(line.str());
  return problem.empty();
}

std::string scenario_run::create_cluster() {
  {
    std::lock_guard lock(mutex_);
    any_restart_allowed_ = true;
  }
  refresh_spec(cluster_doc_);
  auto r = client_->create_sync(k8s::resources::kafka_clusters(), ns_, cluster_doc_);
  if (!r.is_ok())
    return "the KafkaCluster was refused: " + r.error().to_string();
  std::string why;
  if (!wait_converged(s_.converge_within, why))
    return "not converged: " + why;
  for (const auto& t : s_.topics) {
    sim::topic_spec ts{t.name, t.partitions, t.replication_factor, t.min_insync_replicas,
                       int64_t(double(t.produce_bytes_per_second) * s_.scale)};
    auto created = plane_->kafka().create_topic(ns_, cluster_, ts);
    if (!created.is_ok())
      return "topic " + t.name + ": " + created.error().message;
  }
  std::lock_guard lock(mutex_);
  any_restart_allowed_ = false;
  return "";
}

std::string scenario_run::converge_after_faults() {
  while (true) {
    bool pending;
    {
      std::lock_guard lock(mutex_);
      pending = !lasting_.empty();
    }
    pending |= !schedule_.empty() && schedule_.back().at.count() > clock_.now_ms();
    if (!pending)
      break;
    std::this_thread::sleep_for(5ms);
  }
  std::string why;
  if (!wait_converged(s_.converge_within, why)) {
    std::lock_guard lock(mutex_);
    violation("convergence",
              "not converged within " + std::to_string(s_.converge_within.count() / 1000)
                  + " s (simulated) after the last fault: " + why,
              -1);
    return why;
  }
  return "";
}

void scenario_run::check_idle() {
  // final-status: converged, then nothing changes while idle.
  std::this_thread::sleep_for(std::max(clock_.wall(5s), std::chrono::milliseconds{50}));
  auto before = plane_->api().store().write_count();
  auto version_before = plane_->api().store().resource_version();
  sleep_sim(30s);
  std::this_thread::sleep_for(200ms);
  auto writes = plane_->api().store().write_count() - before;
  std::string what;
  if (writes > 0)
    for (const auto& line : plane_->api().store().describe_changes_after(version_before))
      what += (what.empty() ? ": " : "; ") + line;
  auto final_state = status_mismatch();
  std::lock_guard lock(mutex_);
  if (!final_state.empty())
    violation("final-status", "the status does not match the world at the end: " + final_state, -1);
  if (writes > 0)
    violation("idle-writes", std::to_string(writes) + " API writes while the cluster was idle" + what, -1);
}

void scenario_run::check_cc_duplicates() {
  // cc-duplicate: Cruise Control accepted a new task for a request (endpoint and brokers / log dirs) while
  // a task of that same request still ran. A request made again after its task ended is not a duplicate:
  // a failed or forgotten task is retried, and a drain Kafka still names replicas for is asked again.
  auto ops = plane_->cruise_control().operations(ns_, cluster_);
  std::lock_guard lock(mutex_);
  for (const auto& op : ops) {
    if (op.user_task_id.empty() || op.http_status >= 300 || op.same_as_unfinished.empty())
      continue;
    std::string intent = op.endpoint;
    for (const auto& [k, v] : op.params)
      if (k == "brokerid" || k == "destination_broker_ids" || k == "brokerid_and_logdirs")
        intent += " " + k + "=" + v;
    violation("cc-duplicate", "Cruise Control asked for " + intent + " while its task " + op.same_as_unfinished + " still ran", -1);
  }
}

run_record scenario_run::finish_record(steady::time_point wall0) {
  rec_.simulated_ms = clock_.now_ms();
  tear_down();
  rec_.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - wall0).count();
  std::lock_guard lock(mutex_);
  for (auto& [id, st] : pod_state_)
    if (st.first != "Absent")
      rec_.pod_states.push_back({id, st.first, st.second, rec_.simulated_ms});
  for (auto& f : rec_.faults)
    if (f.end_ms < f.start_ms)
      f.end_ms = rec_.simulated_ms;
  rec_.counters["api_writes"] = int64_t(plane_->api().store().write_count());
  rec_.counters["kafka_states_checked"] = checker_.states_checked();
  rec_.counters["restarts"] = int64_t(rec_.restarts.size());
  rec_.counters["cc_operations"] = int64_t(rec_.cc_operations.size());
  auto wall_run
      = std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - clock_.t0).count());
  rec_.scale_reached = double(rec_.simulated_ms) / double(wall_run);
  rec_.passed = rec_.violations.empty()
                && std::all_of(rec_.steps.begin(), rec_.steps.end(), [](const auto& st) { return st.ok; });
  std::sort(rec_.violations.begin(), rec_.violations.end(),
            [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
  return rec_;
}

} // namespace detail

run_record run_scenario(const scenario& s, const runner_options& o) {
  detail::scenario_run r(s, o);
  return r.run();
}

void print_run_summary(const run_record& r, std::ostream& out) {
  out << (r.passed ? "PASSED" : "FAILED") << "  " << r.scenario << "  seed " << r.seed << "  simulated "
      << detail::sim_time(r.simulated_ms) << " in " << r.wall_ms << " ms wall (×" << std::fixed << std::setprecision(1)
      << r.scale_reached << " reached, ×" << r.scale << " asked)\n";
  out << "  step                                      start   duration  verdict\n";
  for (const auto& st : r.steps)
    out << "  " << std::left << std::setw(40) << st.name.substr(0, 40) << std::right << std::setw(8)
        << detail::sim_time(st.start_ms) << std::setw(9) << (st.end_ms - st.start_ms) / 1000 << " s  "
        << (st.ok ? "ok" : "FAIL: " + st.problem) << '\n';
  out << "  invariant                 violations\n";
  for (const auto& inv : r.invariants) {
    auto n = std::count_if(r.violations.begin(), r.violations.end(), [&](const auto& v) { return v.invariant == inv; });
    out << "  " << std::left << std::setw(24) << inv << std::right << std::setw(6) << n << '\n';
  }
  for (const auto& v : r.violations)
    out << "  VIOLATION " << detail::sim_time(v.at_ms) << " " << v.invariant << ": " << v.detail << '\n';
  out << "  " << r.faults.size() << " faults, " << r.restarts.size() << " pod restarts, " << r.cc_operations.size()
      << " Cruise Control operations, " << r.counters.at("kafka_states_checked") << " Kafka states checked\n";
  out.unsetf(std::ios::fixed);
}

} // namespace kactor::sim
