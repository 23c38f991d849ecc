// One spec edit as data: what the embedding API's intents (remove_broker, add_disk, trigger_roll) ask of a
// KafkaCluster's spec, so that an actor can carry the request in a message and apply it to whichever
// version of the CR it reads (again after a conflict), always through the functions of model/edit.
//
// apply_intent returns the status of the edit it names and leaves the spec untouched on error. The one
// policy an intent carries is `keep_one_broker`: removing the last broker is refused
// (`spec.brokers: broker 0 is the last broker`), since a cluster without brokers cannot drain anything.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/edit/disks.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// A spec edit an intent asks for.
struct spec_intent {
  /// Which edit.
  enum class kind {
    /// remove_broker(broker_id); refuses the last broker when keep_one_broker.
    remove_broker,
    /// add_disk(broker_id, disk).
    add_disk,
    /// set_env(env_name, env_value).
    set_env,
  };
  kind what = kind::remove_broker;
  int32_t broker_id = -1;
  disk new_disk;
  std::string env_name;
  std::string env_value;
  bool keep_one_broker = true;
};

/// Applies `intent` to `spec` with model/edit's functions.
status apply_intent(nlohmann::json& spec, const spec_intent& intent);

/// "remove_broker", "add_disk" or "set_env".
const char* to_string(spec_intent::kind k);

} // namespace kactor::model
