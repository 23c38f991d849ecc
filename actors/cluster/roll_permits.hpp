// Rolling restarts: restart permits granted as model::plan_roll decides from the brokers' standing and
// Kafka's partitions — described through the Kafka admin, asked again after every change (an older answer
// is never trusted for a restart) and polled while a roll runs — and a roll stopped on a restarted broker
// that is not back (Ready, in its ISRs) within actor_settings::roll_timeout. Runs on the cluster actor's
// thread.
#pragma once

#include <nlohmann/json.hpp>

#include "actors/cluster/cluster_state.hpp"
#include "model/kafka_cluster.hpp"

namespace kactor::actors {

/// Grants the permits the roll plan allows now, ends or stops the waits on restarted brokers, records why
/// each other broker waits, and asks Kafka again when a decision needs a fresh answer.
void grant_permits(cluster_self self, const model::kafka_cluster& c, const nlohmann::json& cr);

/// A broker gave its permit back (restarted, or failed and backing off).
void on_permit_returned(cluster_self self, const messages::restart_permit_returned& p);

/// Kafka's answer to a describe.
void on_kafka_described(cluster_self self, messages::kafka_described& d);

/// The Kafka poll timer fired.
void on_kafka_poll(cluster_self self);

} // namespace kactor::actors
