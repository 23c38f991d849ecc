// Helpers the object store's files share (internal to sim/world/api_server/object_store*.cpp).
#pragma once

#include <string>

#include "sim/world/api_server/object_store.hpp"

namespace kactor::sim::detail {

/// The key of an object within its type's bucket: "namespace/name" ("/name" for cluster-scoped objects).
inline std::string object_key(const std::string& ns, const std::string& name) {
  return ns + "/" + name;
}

/// The apiserver's NotFound for `name` of type `t`.
inline api_error not_found(const resource_type& t, const std::string& name) {
  return {404, "NotFound", t.key() + " \"" + name + "\" not found"};
}

} // namespace kactor::sim::detail
