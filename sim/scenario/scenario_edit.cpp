#include "sim/scenario/scenario_edit.hpp"

#include "model/edit/brokers.hpp"
#include "model/edit/config.hpp"
#include "model/edit/disks.hpp"

namespace kactor::sim {

using nlohmann::json;

namespace {

model::status edit(const scenario_step& st, json& spec) {
  auto b = st.brokers.empty() ? -1 : st.brokers.front();
  switch (st.kind) {
  case step_kind::patch: return model::merge_patch(spec, st.patch);
  case step_kind::add_brokers: return model::add_brokers(spec, st.brokers);
  case step_kind::remove_broker: return model::remove_broker(spec, b);
  case step_kind::add_disk: return model::add_disk(spec, b, {st.mount_path, st.size, ""});
  case step_kind::remove_disk: return model::remove_disk(spec, b, st.mount_path);
  case step_kind::read_only_config: return model::append_read_only_config(spec, st.config);
  case step_kind::broker_config: return model::append_broker_config(spec, b, st.config);
  case step_kind::alert:
  case step_kind::wait:
  case step_kind::wait_converged:
  case step_kind::fault:
    return model::status::ok();
  }
  return model::status::ok();
}

} // namespace

std::string apply_step_to_spec(const scenario_step& step, json& spec) {
  auto st = edit(step, spec); // model/edit leaves the spec as it was on error
  return st.is_ok() ? "" : st.message();
}

restart_scope restart_scope_of(const scenario_step& st) {
  switch (st.kind) {
  case step_kind::patch:
  case step_kind::read_only_config:
  case step_kind::alert:
    return {{}, true};
  case step_kind::remove_broker:
  case step_kind::add_disk:
  case step_kind::remove_disk:
  case step_kind::broker_config:
    return {std::set<int32_t>(st.brokers.begin(), st.brokers.begin() + std::min<size_t>(1, st.brokers.size())), false};
  case step_kind::add_brokers:
  case step_kind::wait:
  case step_kind::wait_converged:
  case step_kind::fault:
    return {};
  }
  return {};
}

} // namespace kactor::sim
