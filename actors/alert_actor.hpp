// The alert actor: one per process. Alerts arrive from the receiver; the actor keeps the firing ones by
// fingerprint (a resolved alert is forgotten), and for each occurrence (fingerprint@startsAt) with a
// command asks model::decide_alert what to do with its KafkaCluster, writing the edited CR — spec change
// plus the acted-on record annotation — in one conflict-checked PUT, one write per cluster at a time. So
// 1,000 repeats of an alert act once, and a restarted operator reads from the CR what it already did.
// Skipped alerts (cooldown, limits, pending operations) stay firing and are reconsidered every
// actor_settings::alert_recheck, with an Event saying why (once per reason). Alerts labelled
// `rollingupgrade` are counted into status.rollingUpgradeStatus.errorCount (the roll's failureThreshold
// counts them) and every firing alert of a cluster into status.alertCount.
#pragma once

#include <caf/fwd.hpp>

#include "actors/kube_access.hpp"
#include "messages/messages.hpp"

namespace kactor::actors {

messages::alert_actor spawn_alert_actor(caf::actor_system& sys, kube_ports kube);

} // namespace kactor::actors
