// The watch cache against the simulated API server: list then watch, scoping, a dropped connection and a
// forced 410 without a missed or duplicated change, resync without requests.
#include "integrations/kubernetes/watch_cache.hpp"

#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace kactor::integrations::kubernetes {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

json configmap(const std::string& name, const std::string& value, const std::string& app = "kafka") {
  return {{"metadata", {{"name", name}, {"labels", {{"app", app}}}}}, {"data", {{"v", value}}}};
}

/// Records every notification.
struct recorder {
  std::mutex mutex;
  std::vector<change> changes;
  void operator()(const change& c) {
    std::lock_guard lock(mutex);
    changes.push_back(c);
  }
  std::vector<change> snapshot() {
    std::lock_guard lock(mutex);
    return changes;
  }
};

std::string rv(const json& obj) { return obj["metadata"].value("resourceVersion", ""); }

/// The cache holds exactly what the server lists (names and versions).
bool matches_server(kube_client& client, const watch_cache& cache, const std::string& ns, const std::string& selector) {
  list_options lo;
  lo.label_selector = selector;
  auto l = client.list_all_sync(resources::configmaps(), ns, lo);
  if (!l.is_ok())
    return false;
  std::map<std::string, std::string> server, cached;
  for (const auto& i : l.value()["items"])
    server[i["metadata"]["name"]] = rv(i);
  for (const auto& i : cache.list())
    cached[i["metadata"]["name"]] = rv(i);
  return server == cached;
}

/// No (name, version) was notified twice, except resyncs.
void expect_no_duplicates(const std::vector<change>& changes) {
  std::set<std::tuple<std::string, std::string, change_type>> seen;
  for (const auto& c : changes) {
    if (c.type == change_type::resync)
      continue;
    auto key = std::make_tuple(c.name, rv(c.object), c.type);
    EXPECT_TRUE(seen.insert(key).second) << "notified twice: " << c.name << " rv " << rv(c.object) << " " << to_string(c.type);
  }
}

// Every test runs with parsed objects and with compact (text) ones.
class WatchCache : public ::testing::TestWithParam<bool> {
protected:
  void SetUp() override {
    server = testing::start_api_server();
    ASSERT_TRUE(server);
    client = testing::make_client(*server);
    ASSERT_TRUE(client->create_sync(resources::namespaces(), "", {{"metadata", {{"name", "kafka"}}}}).is_ok());
  }
  std::shared_ptr<watch_cache> start(const std::string& selector = "app=kafka", std::chrono::milliseconds resync = 0ms) {
    watch_cache_options o;
    o.type = resources::configmaps();
    o.namespace_ = "kafka";
    o.label_selector = selector;
    o.page_size = 3;
    o.resync = resync;
    o.backoff_base = 20ms;
    o.compact = GetParam();
    o.index_label = "app";
    return watch_cache::start(client, o, std::ref(events));
  }
  void create(const std::string& name, const std::string& v, const std::string& ns = "kafka", const std::string& app = "kafka") {
    auto r = client->create_sync(resources::configmaps(), ns, configmap(name, v, app));
    ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  }
  void modify(const std::string& name, const std::string& v) {
    auto r = client->patch_sync(resources::configmaps(), "kafka", name, patch_type::merge, {{"data", {{"v", v}}}});
    ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  }
  void remove(const std::string& name) { ASSERT_TRUE(client->remove_sync(resources::configmaps(), "kafka", name).is_ok()); }

  std::unique_ptr<sim::api_server> server;
  std::shared_ptr<kube_client> client;
  recorder events;
};

TEST_P(WatchCache, ListsThenWatchesOnlyWhatItManages) {
  for (int i = 0; i < 7; ++i)
    create("cm" + std::to_string(i), "0");
  create("other-app", "0", "kafka", "zookeeper");
  create("other-ns", "0", "default");
  auto cache = start();
  ASSERT_TRUE(eventually([&] { return cache->synced(); }));
  EXPECT_EQ(cache->size(), 7u); // listed in pages of 3
  EXPECT_FALSE(cache->get("kafka", "other-app"));
  EXPECT_EQ(cache->stats().lists, 1u);

  create("cm7", "0");
  modify("cm1", "1");
  remove("cm2");
  create("unrelated", "0", "kafka", "zookeeper");
  ASSERT_TRUE(eventually([&] { return cache->size() == 7 && cache->get("kafka", "cm7") && !cache->get("kafka", "cm2"); }));
  ASSERT_TRUE(eventually([&] { return cache->get("kafka", "cm1").value_or(json{})["data"]["v"] == "1"; }));
  auto changes = events.snapshot();
  ASSERT_EQ(changes.size(), 10u); // 7 added by the list, then added, modified, deleted
  EXPECT_EQ(changes[7].type, change_type::added);
  EXPECT_EQ(changes[7].name, "cm7");
  EXPECT_EQ(changes[8].type, change_type::modified);
  EXPECT_EQ(changes[8].old_object["data"]["v"], "0");
  EXPECT_EQ(changes[9].type, change_type::deleted);
  EXPECT_EQ(changes[9].name, "cm2");
  EXPECT_TRUE(matches_server(*client, *cache, "kafka", "app=kafka"));
  cache->stop();
}

TEST_P(WatchCache, SurvivesDroppedConnectionsWithoutMissingOrRepeating) {
  auto cache = start();
  ASSERT_TRUE(eventually([&] { return cache->synced(); }));
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 4; ++i)
      create("r" + std::to_string(round) + "-" + std::to_string(i), "0");
    modify("r" + std::to_string(round) + "-0", "1");
    auto watches = cache->stats().watches;
    server->drop_watches();
    remove("r" + std::to_string(round) + "-1"); // while the watch is down or resuming
    modify("r" + std::to_string(round) + "-2", "2");
    // The cache counts a watch when it asks for it, the server when it serves it: a drop in between hits
    // nothing. Drop again until the cache has resumed once.
    ASSERT_TRUE(eventually([&] {
      if (cache->stats().watches > watches)
        return true;
      server->drop_watches();
      return false;
    }));
  }
  ASSERT_TRUE(eventually([&] { return matches_server(*client, *cache, "kafka", "app=kafka"); }));
  auto stats = cache->stats();
  EXPECT_GE(stats.watches, 2u); // resumed (a drop racing a resume may find no stream to close)
  EXPECT_EQ(stats.lists, 1u);   // from the last version, no relist needed
  auto changes = events.snapshot();
  expect_no_duplicates(changes);
  // Every change made was notified: 20 added, 10 modified, 5 deleted.
  std::map<change_type, int> by_type;
  for (const auto& c : changes)
    ++by_type[c.type];
  EXPECT_EQ(by_type[change_type::added], 20);
  EXPECT_EQ(by_type[change_type::modified], 10);
  EXPECT_EQ(by_type[change_type::deleted], 5);
  cache->stop();
}

TEST_P(WatchCache, RelistsAfterGoneAndNotifiesTheDifferenceOnce) {
  for (int i = 0; i < 5; ++i)
    create("cm" + std::to_string(i), "0");
  auto cache = start();
  ASSERT_TRUE(eventually([&] { return cache->synced() && cache->size() == 5; }));
  // The watch must be registered before it is dropped: one passing the fault check now and registering
  // after the drop would stay open and deliver the changes live (no 410 to test).
  ASSERT_TRUE(eventually([&] { return server->open_watches() >= 1; }));
  // Changes while the watch is down, then the history is compacted: resuming gets 410 Gone.
  server->set_api_faults({sim::api_fault_rule{"watch", "configmaps", "", 1.0, 503}});
  server->drop_watches();
  modify("cm0", "1");
  remove("cm1");
  create("cm9", "0");
  server->store().compact();
  create("filler", "0", "default"); // moves the current version past the compaction
  server->set_api_faults({});
  ASSERT_TRUE(eventually([&] { return cache->stats().gone >= 1 && matches_server(*client, *cache, "kafka", "app=kafka"); }))
      << "gone=" << cache->stats().gone << " lists=" << cache->stats().lists;
  EXPECT_EQ(cache->stats().lists, 2u);
  auto changes = events.snapshot();
  expect_no_duplicates(changes);
  ASSERT_EQ(changes.size(), 8u) << "5 listed, then the relist's difference: cm0 modified, cm1 deleted, cm9 added";
  std::set<std::pair<std::string, change_type>> diff;
  for (size_t i = 5; i < changes.size(); ++i)
    diff.insert({changes[i].name, changes[i].type});
  EXPECT_EQ(diff, (std::set<std::pair<std::string, change_type>>{
                      {"cm0", change_type::modified}, {"cm1", change_type::deleted}, {"cm9", change_type::added}}));
  // Changes after the relist arrive through the new watch.
  modify("cm9", "1");
  ASSERT_TRUE(eventually([&] { return events.snapshot().size() == 9u; }));
  cache->stop();
}

TEST_P(WatchCache, ResyncRenotifiesWithoutApiRequests) {
  create("a", "0");
  create("b", "0");
  auto cache = start("app=kafka", 100ms);
  ASSERT_TRUE(eventually([&] { return cache->synced(); }));
  auto requests_before = client->metrics().count("list") + client->metrics().writes();
  ASSERT_TRUE(eventually([&] {
    int resyncs = 0;
    for (const auto& c : events.snapshot())
      resyncs += c.type == change_type::resync;
    return resyncs >= 6;
  }));
  EXPECT_EQ(client->metrics().count("list") + client->metrics().writes(), requests_before);
  cache->stop();
  auto after_stop = events.snapshot().size();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(events.snapshot().size(), after_stop); // nothing notified after stop()
}

TEST_P(WatchCache, KeepsRetryingWhileTheServerFails) {
  create("a", "0");
  server->set_api_faults({sim::api_fault_rule{"list", "configmaps", "", 1.0, 500}});
  auto cache = start();
  std::this_thread::sleep_for(400ms);
  EXPECT_FALSE(cache->synced());
  server->set_api_faults({});
  ASSERT_TRUE(eventually([&] { return cache->synced() && cache->size() == 1; }));
  cache->stop();
}

TEST_P(WatchCache, ListsByIndexLabelWithoutScanning) {
  create("a1", "0");
  create("a2", "0");
  auto cache = start("");
  create("z1", "0", "kafka", "zookeeper");
  ASSERT_TRUE(eventually([&] { return cache->size() == 3; }));
  EXPECT_EQ(cache->list_by_label("kafka", "kafka").size(), 2u);
  std::vector<std::string> names;
  cache->visit_by_label("kafka", "zookeeper", [&](const json& o) { names.push_back(o["metadata"]["name"]); });
  EXPECT_EQ(names, std::vector<std::string>{"z1"});
  remove("a1");
  ASSERT_TRUE(eventually([&] { return cache->list_by_label("kafka", "kafka").size() == 1; }));
  modify("a2", "1");
  ASSERT_TRUE(eventually([&] { return cache->list_by_label("kafka", "kafka").at(0)["data"]["v"] == "1"; }));
  cache->stop();
}

INSTANTIATE_TEST_SUITE_P(ParsedAndCompact, WatchCache, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "compact" : "parsed"; });

} // namespace
} // namespace kactor::integrations::kubernetes
