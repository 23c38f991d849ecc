#include "model/cruisecontrol/cc_schedule.hpp"

#include <algorithm>
#include <tuple>

#include "model/time.hpp"

namespace kactor::model {

cc_schedule schedule_cc_operations(const cc_schedule_inputs& in) {
  cc_schedule out;
  std::vector<const cc_operation*> candidates;
  for (const auto& op : in.operations) {
    int64_t finished = op.finished.empty() ? 0 : rfc3339_seconds(op.finished);
    if (!op.task_id.empty() && (op.state == "Active" || op.state == "InExecution")) {
      out.poll.push_back(op.name);
      continue;
    }
    if (op.finished_for_good()) {
      if (op.ttl_seconds_after_finished && finished > 0 && finished + *op.ttl_seconds_after_finished <= in.now)
        out.expire.push_back(op.name);
      continue;
    }
    if (op.paused)
      continue;
    if (op.failed()) {
      auto delay = std::min<int64_t>(in.retry_max.count(), in.retry_base.count() << std::min<int64_t>(op.retry_count, 20));
      if (finished + delay > in.now) {
        out.next_retry = std::min(out.next_retry.value_or(finished + delay), finished + delay);
        continue;
      }
    } else if (!op.state.empty())
      continue; // a state kactor does not know: leave it to a human
    candidates.push_back(&op);
  }
  if (!out.poll.empty() || candidates.empty())
    return out;
  auto first = std::min_element(candidates.begin(), candidates.end(), [](const cc_operation* a, const cc_operation* b) {
    return std::make_tuple(int(a->kind), a->creation_timestamp, a->name) < std::make_tuple(int(b->kind), b->creation_timestamp, b->name);
  });
  out.submit = (*first)->name;
  return out;
}

} // namespace kactor::model
