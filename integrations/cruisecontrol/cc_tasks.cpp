#include "integrations/cruisecontrol/cc_tasks.hpp"

namespace kactor::integrations::cruisecontrol {

const char* to_string(task_status s) {
  switch (s) {
  case task_status::active: return "Active";
  case task_status::in_execution: return "InExecution";
  case task_status::completed: return "Completed";
  case task_status::completed_with_error: return "CompletedWithError";
  case task_status::unknown: return "Unknown";
  }
  return "Unknown";
}

} // namespace kactor::integrations::cruisecontrol
