#include "model/edit/intent.hpp"

#include "model/edit/brokers.hpp"
#include "model/edit/config.hpp"

namespace kactor::model {

status apply_intent(nlohmann::json& spec, const spec_intent& intent) {
  switch (intent.what) {
  case spec_intent::kind::remove_broker:
    if (intent.keep_one_broker && broker_index(spec, intent.broker_id).is_ok() && broker_count(spec) == 1)
      return status::invalid("spec.brokers: broker " + std::to_string(intent.broker_id) + " is the last broker");
    return remove_broker(spec, intent.broker_id);
  case spec_intent::kind::add_disk:
    return add_disk(spec, intent.broker_id, intent.new_disk);
  case spec_intent::kind::set_env:
    return set_env(spec, intent.env_name, intent.env_value);
  }
  return status::invalid("unknown spec intent");
}

const char* to_string(spec_intent::kind k) {
  switch (k) {
  case spec_intent::kind::remove_broker: return "remove_broker";
  case spec_intent::kind::add_disk: return "add_disk";
  case spec_intent::kind::set_env: return "set_env";
  }
  return "spec_intent";
}

} // namespace kactor::model
