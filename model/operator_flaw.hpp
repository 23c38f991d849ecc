// Test-only: the deliberate flaws the simulation can switch on in the operator, one per invariant of the
// scenario checker (sim/scenario/), so that a test can prove each invariant fails when the operator
// breaks it. A flaw is one small branch at one decision point of the operator, marked "test-only"
// there; none is reachable from `kactor run` (only `kactor sim --flaw-for-tests NAME` and the scenario
// runner's tests set one). Production code never reads these names.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <optional>
#include <string_view>
#include <utility>

namespace kactor::model {

/// One deliberate flaw of the operator; `none` in production.
enum class operator_flaw {
  none,                    ///< the operator as shipped
  roll_two_at_once,        ///< rolls restart two brokers at once ignoring min.isr (min-isr, max-disruptions)
  delete_leaving_at_once,  ///< a broker leaving the spec is deleted at once, undrained (deleted-with-replicas)
  delete_undrained_disks,  ///< a disk leaving the spec is unmounted and deleted at once, undrained (pvc-deleted)
  never_drain,             ///< no remove_broker is ever asked: a leaving broker stays forever (convergence)
  leak_broker_config,      ///< a broker's own readOnlyConfig rolls every broker (scope)
  wrong_status_image,      ///< status.brokersState[*].image is not the pods' image (final-status)
  status_write_every_pass, ///< every pass writes the status, changed or not (idle-writes)
  alert_every_delivery,    ///< every delivery of one alert occurrence is acted on (alert-once)
  duplicate_cc_operations, ///< a running operation is submitted again at each poll, no task adopted (cc-duplicate)
};

/// Every flaw with its name as `--flaw-for-tests` takes it.
inline constexpr std::pair<operator_flaw, std::string_view> operator_flaw_names[] = {
  {operator_flaw::none, "none"},
  {operator_flaw::roll_two_at_once, "roll-two-at-once"},
  {operator_flaw::delete_leaving_at_once, "delete-leaving-at-once"},
  {operator_flaw::delete_undrained_disks, "delete-undrained-disks"},
  {operator_flaw::never_drain, "never-drain"},
  {operator_flaw::leak_broker_config, "leak-broker-config"},
  {operator_flaw::wrong_status_image, "wrong-status-image"},
  {operator_flaw::status_write_every_pass, "status-write-every-pass"},
  {operator_flaw::alert_every_delivery, "alert-every-delivery"},
  {operator_flaw::duplicate_cc_operations, "duplicate-cc-operations"},
};

/// "roll-two-at-once", ...
constexpr std::string_view to_string(operator_flaw f) {
  for (const auto& [flaw, name] : operator_flaw_names)
    if (flaw == f)
      return name;
  return "none";
}

/// The flaw named `name`, or nullopt.
constexpr std::optional<operator_flaw> parse_operator_flaw(std::string_view name) {
  for (const auto& [flaw, n] : operator_flaw_names)
    if (n == name)
      return flaw;
  return std::nullopt;
}

} // namespace kactor::model
