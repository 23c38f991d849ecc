// The ConfigMap `<cluster>-cruisecontrol-config` of the Cruise Control kactor deploys when
// spec.cruiseControlConfig.cruiseControlEndpoint is unset or empty (Koperator's layout): the Deployment
// mounts it at cruise_control_config_dir and Cruise Control reads four files from it:
// - cruisecontrol.properties: cruiseControlConfig.config with kactor's keys written over it —
//   bootstrap.servers (cruise_control_bootstrap_servers, as the brokers' metrics reporter), zookeeper.connect
//   in ZooKeeper mode (as the brokers' own), in KRaft mode the admin-client topic config provider and
//   broker failure detection (Cruise Control cannot ask ZooKeeper), webserver.http.port (the port the
//   Deployment, its probe and the Service use), and the two file paths below; sorted;
// - capacity.json: render_cruise_control_capacity, indented;
// - clusterConfigs.json: cruiseControlConfig.clusterConfig, or "{}";
// - log4j.properties: logs to the console (log4j2 properties syntax, which Cruise Control ≥ 2.5 reads).
// Labels are {app: cruisecontrol, kafka_cr: <cluster>}: never app=kafka, which the PDB and the all-broker
// Service select brokers by.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// Where the Deployment mounts the ConfigMap (the paths cruisecontrol.properties names are under it).
inline constexpr const char* cruise_control_config_dir = "/opt/cruise-control/config";

/// True when kactor deploys Cruise Control itself: cruiseControlEndpoint is unset or empty.
bool deploys_cruise_control(const kafka_cluster& c);

/// "<cluster>-cruisecontrol-config"
std::string cruise_control_configmap_name(const kafka_cluster& c);

/// {app: cruisecontrol, kafka_cr: <cluster>}: the ConfigMap's, Deployment's, pods' and Service selector's.
string_map cruise_control_labels(const kafka_cluster& c);

/// The ConfigMap, or nullopt when an endpoint is set. Precondition: the cluster validated (config parses).
std::optional<json> render_cruise_control_configmap(const kafka_cluster& c);

} // namespace kactor::model
