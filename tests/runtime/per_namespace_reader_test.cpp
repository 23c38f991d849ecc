#include "runtime/per_namespace_reader.hpp"

#include <algorithm>

#include <gtest/gtest.h>

using kactor::runtime::per_namespace_reader;
using nlohmann::json;

namespace {

// One namespace's cache: its objects by name, each labelled kafka_cr=kafka.
class fake_cache final : public kactor::integrations::kubernetes::object_reader {
public:
  fake_cache(std::string ns, std::vector<std::string> names) : ns_(std::move(ns)), names_(std::move(names)) {}
  std::optional<json> get(const std::string& ns, const std::string& name) const override {
    if (ns != ns_ || std::find(names_.begin(), names_.end(), name) == names_.end())
      return std::nullopt;
    return json{{"metadata", {{"namespace", ns_}, {"name", name}}}};
  }
  bool contains(const std::string& ns, const std::string& name) const override { return get(ns, name).has_value(); }
  std::vector<json> list() const override {
    std::vector<json> out;
    for (const auto& n : names_)
      out.push_back(*get(ns_, n));
    return out;
  }
  std::vector<json> list_by_label(const std::string& ns, const std::string& value) const override {
    return ns == ns_ && value == "kafka" ? list() : std::vector<json>{};
  }
  void visit_summaries_by_label(const std::string& ns, const std::string& value,
                                const std::function<void(const json&)>& f) const override {
    for (const auto& o : list_by_label(ns, value))
      f(o);
  }

private:
  std::string ns_;
  std::vector<std::string> names_;
};

per_namespace_reader two_namespaces() {
  return per_namespace_reader{{{"a", std::make_shared<fake_cache>("a", std::vector<std::string>{"kafka-0", "kafka-1"})},
                               {"b", std::make_shared<fake_cache>("b", std::vector<std::string>{"kafka-0"})}}};
}

} // namespace

TEST(per_namespace_reader, reads_are_routed_by_namespace) {
  auto r = two_namespaces();
  EXPECT_TRUE(r.contains("a", "kafka-1"));
  EXPECT_FALSE(r.contains("b", "kafka-1"));
  EXPECT_EQ(r.get("b", "kafka-0").value()["metadata"]["namespace"], "b");
  EXPECT_FALSE(r.get("c", "kafka-0").has_value()) << "a namespace not managed holds nothing";
  EXPECT_EQ(r.list_by_label("a", "kafka").size(), 2u);
  EXPECT_TRUE(r.list_by_label("c", "kafka").empty());
  int visited = 0;
  r.visit_summaries_by_label("b", "kafka", [&](const json&) { ++visited; });
  EXPECT_EQ(visited, 1);
}

TEST(per_namespace_reader, list_holds_every_namespace) {
  EXPECT_EQ(two_namespaces().list().size(), 3u);
}
