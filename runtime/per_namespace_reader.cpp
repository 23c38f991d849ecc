#include "runtime/per_namespace_reader.hpp"

namespace kactor::runtime {

const integrations::kubernetes::object_reader* per_namespace_reader::in(const std::string& ns) const {
  auto it = readers_.find(ns);
  return it == readers_.end() ? nullptr : it->second.get();
}

std::optional<nlohmann::json> per_namespace_reader::get(const std::string& ns, const std::string& name) const {
  const auto* r = in(ns);
  return r ? r->get(ns, name) : std::nullopt;
}

bool per_namespace_reader::contains(const std::string& ns, const std::string& name) const {
  const auto* r = in(ns);
  return r && r->contains(ns, name);
}

std::vector<nlohmann::json> per_namespace_reader::list() const {
  std::vector<nlohmann::json> out;
  for (const auto& [ns, r] : readers_) {
    auto part = r->list();
    out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  return out;
}

std::vector<nlohmann::json> per_namespace_reader::list_by_label(const std::string& ns, const std::string& value) const {
  const auto* r = in(ns);
  return r ? r->list_by_label(ns, value) : std::vector<nlohmann::json>{};
}

void per_namespace_reader::visit_summaries_by_label(const std::string& ns, const std::string& value,
                                                    const std::function<void(const nlohmann::json&)>& f) const {
  if (const auto* r = in(ns))
    r->visit_summaries_by_label(ns, value, f);
}

} // namespace kactor::runtime
