// kubectl's server-side printing: objects and lists converted to meta.k8s.io/v1 Table when a client
// asks for `as=Table` in its Accept header, with NAME, the type's printer columns, and AGE.
// Pure functions (the age is computed against the `now` given); safe from any thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sim/world/api_server/resource_registry.hpp"

namespace kactor::sim {

/// True when an Accept header value asks for a Table.
bool wants_table(const std::string& accept);

/// A Table of `objects`; column definitions are omitted when `with_columns` is false (later watch events).
json to_table(const resource_type& type, const std::vector<json>& objects, const std::string& resource_version,
              std::chrono::system_clock::time_point now, bool with_columns = true);

/// "45s", "12m", "5h", "3d" since an RFC 3339 timestamp; "<unknown>" when unparsable.
std::string human_age(const std::string& rfc3339, std::chrono::system_clock::time_point now);

} // namespace kactor::sim
