// One object_reader over several watch caches, one per namespace: how the operator reads a resource when
// it manages a few namespaces (--namespaces a,b). Each namespace is listed and watched on its own, so that
// RBAC granted per namespace (RoleBindings, deploy/rbac.yaml) suffices: a watch over all namespaces would
// need a cluster-wide grant.
//
// Reads are routed by namespace; an object of a namespace without a cache is absent. Thread-safe as the
// caches are; the map is fixed at construction.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "integrations/kubernetes/api.hpp"

namespace kactor::runtime {

/// See the file comment.
class per_namespace_reader final : public integrations::kubernetes::object_reader {
public:
  using reader = std::shared_ptr<integrations::kubernetes::object_reader>;

  /// `by_namespace`: the cache of each managed namespace.
  explicit per_namespace_reader(std::map<std::string, reader> by_namespace) : readers_(std::move(by_namespace)) {}

  std::optional<nlohmann::json> get(const std::string& ns, const std::string& name) const override;
  bool contains(const std::string& ns, const std::string& name) const override;
  /// Every namespace's objects, namespace by namespace.
  std::vector<nlohmann::json> list() const override;
  std::vector<nlohmann::json> list_by_label(const std::string& ns, const std::string& value) const override;
  void visit_summaries_by_label(const std::string& ns, const std::string& value,
                                const std::function<void(const nlohmann::json&)>& f) const override;

private:
  const integrations::kubernetes::object_reader* in(const std::string& ns) const;

  std::map<std::string, reader> readers_;
};

} // namespace kactor::runtime
