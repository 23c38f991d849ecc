// Benchmark of the simulated API server over loopback HTTP: requests/s for create, get and list with
// several keep-alive clients, and watch fan-out (time for every one of 100 watchers to see a burst of
// changes). Prints a table; --json FILE writes the figures; --small runs a quick smoke (for CI: no
// timing is asserted anywhere).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "integrations/http/client.hpp"
#include "sim/world/api_server/api_server.hpp"

using namespace kactor::integrations;
namespace sim = kactor::sim;
using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

namespace {

struct figures {
  json rows = json::array();
  void add(const std::string& name, double value, const std::string& unit) {
    rows.push_back({{"name", name}, {"value", value}, {"unit", unit}});
    std::printf("%-40s %12.1f %s\n", name.c_str(), value, unit.c_str());
  }
};

// Runs `per_client` calls of `op(client, client_index, i)` on `clients` threads; returns calls per second.
template <class Op>
double rate(int clients, int per_client, uint16_t port, Op op) {
  std::atomic<int> failures{0};
  auto start = clock_type::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      auto client = http::make_blocking_client({"127.0.0.1", port});
      for (int i = 0; i < per_client; ++i)
        if (!op(*client, c, i))
          ++failures;
    });
  for (auto& t : threads)
    t.join();
  double secs = std::chrono::duration<double>(clock_type::now() - start).count();
  if (failures > 0)
    std::fprintf(stderr, "warning: %d failed requests\n", failures.load());
  return clients * per_client / secs;
}

bool ok(const kactor::model::result<http::response>& r, int want) {
  return r.is_ok() && r->status == want;
}

} // namespace

int main(int argc, char** argv) {
  bool small = false;
  std::string json_out;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--small")
      small = true;
    else if (a == "--json" && i + 1 < argc)
      json_out = argv[++i];
  }
  const int clients = 4, per_client = small ? 50 : 2000, watchers = small ? 10 : 100, burst = small ? 20 : 200;
  auto server = sim::api_server::start({});
  if (!server) {
    std::fprintf(stderr, "cannot start: %s\n", server.error().message().c_str());
    return 1;
  }
  uint16_t port = (*server)->port();
  const std::string base = "/api/v1/namespaces/default/configmaps";
  figures f;
  std::printf("%-40s %12s\n", "simulated API server (loopback HTTP)", "figure");
  f.add("create configmap (4 clients)", rate(clients, per_client, port, [&](auto& c, int ci, int i) {
          json body = {{"metadata", {{"name", "cm-" + std::to_string(ci) + "-" + std::to_string(i)}}},
                       {"data", {{"k", "v"}}}};
          return ok(c.send("POST", base, body.dump()), 201);
        }), "req/s");
  f.add("get configmap (4 clients)", rate(clients, per_client, port, [&](auto& c, int ci, int i) {
          return ok(c.send("GET", base + "/cm-" + std::to_string(ci) + "-" + std::to_string(i)), 200);
        }), "req/s");
  f.add("list 100 configmaps (limit=100, 4 clients)", rate(clients, per_client / 10, port, [&](auto& c, int, int) {
          return ok(c.send("GET", base + "?limit=100"), 200);
        }), "req/s");

  // Watch fan-out: every watcher must see every one of `burst` creations.
  auto rv = (*server)->store().resource_version();
  std::atomic<int> ready{0}, done{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < watchers; ++w)
    threads.emplace_back([&] {
      auto client = http::make_blocking_client({"127.0.0.1", port});
      int seen = 0;
      ++ready;
      client->stream_lines(base + "?watch=1&resourceVersion=" + std::to_string(rv) + "&labelSelector=burst%3Dyes",
                           [&](const std::string&) { return ++seen < burst; }, std::chrono::seconds(60));
      if (seen >= burst)
        ++done;
    });
  while (ready < watchers)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(300)); // let every watch register
  auto writer = http::make_blocking_client({"127.0.0.1", port});
  auto start = clock_type::now();
  for (int i = 0; i < burst; ++i)
    writer->send("POST", base, json{{"metadata", {{"name", "burst-" + std::to_string(i)}, {"labels", {{"burst", "yes"}}}}}}.dump());
  for (auto& t : threads)
    t.join();
  double secs = std::chrono::duration<double>(clock_type::now() - start).count();
  f.add("watch fan-out: watchers", watchers, "");
  f.add("watch fan-out: events delivered", static_cast<double>(done) * burst, "events");
  f.add("watch fan-out: delivery rate", done * burst / secs, "events/s");
  f.add("watch fan-out: burst fully delivered in", secs * 1000, "ms");
  (*server)->stop();
  if (!json_out.empty())
    std::ofstream{json_out} << json{{"benchmark", "api_server"}, {"small", small}, {"figures", f.rows}}.dump(2) << '\n';
  return done == watchers ? 0 : 1;
}
