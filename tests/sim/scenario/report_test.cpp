#include "sim/scenario/report.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

using namespace kactor::sim;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// Three brokers, a failed step, a cluster-wide and a broker fault, two violations, both restart causes.
run_record sample() {
  run_record r;
  r.scenario = "roll-under-faults";
  r.description = "A rolling restart while a node goes down";
  r.seed = 17;
  r.scale = 100;
  r.scale_reached = 98.7;
  r.simulated_ms = 300'000;
  r.wall_ms = 3'140;
  r.passed = false;
  r.steps = {{"apply", 0, 60'000, true, ""}, {"roll", 60'000, 250'000, false, "did not converge within 3m"}};
  r.faults = {{"nodeDown", "node-2", 1, 90'000, 150'000}, {"watchDrop", "api server", -1, 120'000, 120'000}};
  r.violations = {{"min-isr", "orders-3 below min.insync.replicas (isr [0], min 2)", 2, 130'000},
                  {"max-disruptions", "brokers 1 and 2 down", -1, 100'000}};
  r.pod_states = {{0, "Pending", 0, 10'000},       {0, "Running", 10'000, 25'000},     {0, "Ready", 25'000, 300'000},
                  {1, "Ready", 0, 90'000},         {1, "Terminating", 90'000, 95'000}, {1, "Absent", 95'000, 96'000},
                  {1, "Pending", 96'000, 150'000}, {1, "Ready", 170'000, 300'000},     {2, "Ready", 0, 300'000}};
  r.restarts = {{1, 90'000, "fault"}, {2, 200'000, "operator"}};
  r.cc_operations
      = {{"remove_broker", {1, 2}, "Completed", 160'000, 220'000}, {"rebalance", {}, "Refused", 230'000, 231'000}};
  r.brokers = {0, 1, 2};
  r.invariants = {"min-isr", "max-disruptions"};
  r.counters = {{"api_writes", 42}, {"kafka_states_checked", 1234}};
  return r;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

std::string read(const fs::path& path) {
  std::ifstream in{path};
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/// A fresh directory under the system temp dir, removed by the destructor.
struct temp_dir {
  fs::path path = fs::temp_directory_path()
                  / ("kactor_report_test_" + std::to_string(::getpid()) + "_"
                     + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

} // namespace

TEST(report_format, durations_and_scales) {
  EXPECT_EQ(format_sim_ms(0), "0s");
  EXPECT_EQ(format_sim_ms(850), "850ms");
  EXPECT_EQ(format_sim_ms(12'500), "12.5s");
  EXPECT_EQ(format_sim_ms(60'000), "1m");
  EXPECT_EQ(format_sim_ms(125'000), "2m05s");
  EXPECT_EQ(format_sim_ms(125'550), "2m05.5s");
  EXPECT_EQ(format_sim_ms(5'400'000), "1h30m");
  EXPECT_EQ(format_sim_ms(3'605'000), "1h00m05s");
  EXPECT_EQ(format_sim_ms(7'200'000), "2h");
  EXPECT_EQ(format_scale(100), "100");
  EXPECT_EQ(format_scale(98.71), "98.7");
  EXPECT_EQ(format_scale(1234.5), "1234");
  EXPECT_EQ(format_scale(0), "—");
  EXPECT_EQ(format_scale(1.0 / 0.0), "—");
}

TEST(report_json, every_field_survives_a_round_trip) {
  auto r = sample();
  auto j = json::parse(report_json(r).dump());
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items())
    keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"brokers", "ccOperations", "counters", "description", "faults",
                                            "invariants", "passed", "podStates", "restarts", "scale", "scaleReached",
                                            "scenario", "seed", "simulatedMs", "steps", "violations", "wallMs"}));
  EXPECT_EQ(j["scenario"], r.scenario);
  EXPECT_EQ(j["description"], r.description);
  EXPECT_EQ(j["seed"].get<uint64_t>(), 17u);
  EXPECT_DOUBLE_EQ(j["scale"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(j["scaleReached"].get<double>(), 98.7);
  EXPECT_EQ(j["simulatedMs"], 300'000);
  EXPECT_EQ(j["wallMs"], 3'140);
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["steps"][1], (json{{"name", "roll"},
                                 {"startMs", 60'000},
                                 {"endMs", 250'000},
                                 {"ok", false},
                                 {"problem", "did not converge within 3m"}}));
  EXPECT_EQ(j["faults"][0],
            (json{{"kind", "nodeDown"}, {"target", "node-2"}, {"broker", 1}, {"startMs", 90'000}, {"endMs", 150'000}}));
  EXPECT_EQ(
      j["violations"][1],
      (json{{"invariant", "max-disruptions"}, {"detail", "brokers 1 and 2 down"}, {"broker", -1}, {"atMs", 100'000}}));
  EXPECT_EQ(j["podStates"].size(), r.pod_states.size());
  EXPECT_EQ(j["podStates"][1], (json{{"broker", 0}, {"state", "Running"}, {"startMs", 10'000}, {"endMs", 25'000}}));
  EXPECT_EQ(j["restarts"][1], (json{{"broker", 2}, {"atMs", 200'000}, {"cause", "operator"}}));
  EXPECT_EQ(j["ccOperations"][0], (json{{"endpoint", "remove_broker"},
                                        {"brokers", {1, 2}},
                                        {"state", "Completed"},
                                        {"startMs", 160'000},
                                        {"endMs", 220'000}}));
  EXPECT_EQ(j["ccOperations"][1]["brokers"], json::array());
  EXPECT_EQ(j["brokers"], (json{0, 1, 2}));
  EXPECT_EQ(j["invariants"], (json{"min-isr", "max-disruptions"}));
  EXPECT_EQ(j["counters"], (json{{"api_writes", 42}, {"kafka_states_checked", 1234}}));
}

TEST(report_html, one_lane_per_broker_plus_the_cluster_lane) {
  auto html = report_html(sample());
  EXPECT_EQ(count(html, "class=\"lane broker-lane\""), 3u);
  EXPECT_EQ(count(html, "class=\"lane cluster-lane\" data-broker=\"cluster\""), 1u);
  auto b0 = html.find("data-broker=\"0\""), b1 = html.find("data-broker=\"1\""), b2 = html.find("data-broker=\"2\"");
  EXPECT_TRUE(b0 < b1 && b1 < b2) << "lanes in r.brokers order";
  EXPECT_NE(html.find(">broker 2</text>"), std::string::npos);
  EXPECT_NE(html.find("FAILED"), std::string::npos);
  EXPECT_NE(html.find("100× asked, 98.7× reached"), std::string::npos);
  EXPECT_NE(html.find("did not converge within 3m"), std::string::npos);
  EXPECT_EQ(count(html, "class=\"restart by-operator\""), 2u); // the restart and its legend key
  EXPECT_EQ(count(html, "class=\"pod ready\""), 5u);           // four intervals and the legend key
  EXPECT_EQ(count(html, "class=\"cc\""), 3u);                  // two lanes and the legend key
  EXPECT_EQ(count(html, "class=\"cc bad\""), 1u);              // the cluster-wide rebalance, on the cluster lane
  // Self-contained: nothing to fetch. The only URL is the SVG namespace.
  EXPECT_EQ(count(html, "http"), 1u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST(report_html, escapes_every_record_string) {
  auto r = sample();
  r.scenario = "<script>alert(1)</script>";
  r.steps[0].name = "a & b";
  r.violations[0].detail = "x\" onmouseover=\"alert(2)";
  r.faults[0].target = "<img src=x>";
  auto html = report_html(r);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("\" onmouseover"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; b"), std::string::npos);
}

TEST(report_html, empty_run) {
  run_record r;
  auto html = report_html(r);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(count(html, "class=\"lane broker-lane\""), 0u);
  EXPECT_EQ(count(html, "class=\"lane cluster-lane\""), 1u);
  EXPECT_EQ(html.find("class=\"violations\""), std::string::npos);
}

TEST(report_html, marks_of_brokers_without_a_lane_go_to_the_cluster_lane) {
  run_record r;
  r.brokers = {0};
  r.pod_states = {{0, "Ready", 0, 1000}, {5, "Ready", 0, 1000}};
  auto html = report_html(r);
  auto cluster = html.find("class=\"lane cluster-lane\""), broker0 = html.find("class=\"lane broker-lane\"");
  auto b5 = html.find("broker 5: Ready"), b0 = html.find("broker 0: Ready");
  EXPECT_TRUE(cluster < b5 && b5 < broker0 && broker0 < b0);
}

TEST(report_html, long_run_stays_readable) {
  run_record r;
  r.simulated_ms = 2 * 3'600'000;
  for (int32_t b = 0; b < 30; ++b) {
    r.brokers.push_back(b);
    for (int64_t t = 0; t < r.simulated_ms; t += 60'000) { // 120 intervals per broker: 3600 in all
      r.pod_states.push_back({b, t % 600'000 ? "Ready" : "Running", t, t + 60'000});
    }
  }
  auto html = report_html(r);
  EXPECT_EQ(count(html, "class=\"lane broker-lane\""), 30u);
  EXPECT_NE(html.find("width=\"1200.0\" height=\"" + std::to_string(54 + 31 * 28 + 24) + ".0\""), std::string::npos);
  EXPECT_NE(html.find(">1h</text>"), std::string::npos); // ticks every 10 minutes
  EXPECT_NE(html.find(">1h10m</text>"), std::string::npos);
  EXPECT_NE(html.find(">2h</text>"), std::string::npos);
  EXPECT_LT(html.size(), 1'000'000u);
}

TEST(report_sweep, counts_and_first_violation) {
  std::vector<run_record> runs(3, sample());
  runs[0].seed = 1;
  runs[0].passed = true;
  runs[0].violations.clear();
  runs[2].seed = 91;
  auto j = sweep_json(runs);
  EXPECT_EQ(j["scenario"], "roll-under-faults");
  EXPECT_EQ(j["passed"], 1);
  EXPECT_EQ(j["failed"], 2);
  ASSERT_EQ(j["runs"].size(), 3u);
  EXPECT_EQ(j["runs"][0]["firstViolation"], nullptr);
  EXPECT_EQ(j["runs"][0]["violations"], 0);
  EXPECT_EQ(j["runs"][1]["violations"], 2);
  EXPECT_EQ(j["runs"][1]["firstViolation"]["invariant"], "max-disruptions"); // the earliest, not the first listed
  EXPECT_EQ(j["runs"][2]["seed"], 91);
  EXPECT_EQ(j["runs"][2]["simulatedMs"], 300'000);
  EXPECT_EQ(sweep_json({}), (json{{"scenario", ""}, {"passed", 0}, {"failed", 0}, {"runs", json::array()}}));
}

TEST(report_table, rows_and_totals) {
  std::vector<run_record> runs(3, sample());
  runs[0].seed = 1;
  runs[0].passed = true;
  runs[0].violations.clear();
  runs[2].seed = 91;
  runs[2].violations[1].detail = std::string(100, 'x');
  auto table = summary_table(runs);
  std::vector<std::string> lines;
  std::istringstream in{table};
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  ASSERT_EQ(lines.size(), 6u) << table;
  EXPECT_EQ(lines[0].rfind("seed  verdict  simulated  wall  scale  violations  first violation", 0), 0u) << lines[0];
  EXPECT_EQ(lines[2], "1     passed   5m         3.1s  98.7x  0");
  EXPECT_NE(lines[3].find("FAILED   5m         3.1s  98.7x  2           max-disruptions at 1m40s: brokers 1 and"),
            std::string::npos)
      << lines[3];
  EXPECT_NE(lines[4].find("max-disruptions at 1m40s: " + std::string(33, 'x') + "…"), std::string::npos) << lines[4];
  EXPECT_EQ(lines[5], "3 runs: 1 passed, 2 failed (seeds 17, 91)");

  EXPECT_NE(summary_table({runs[1]}).find("1 run: 0 passed, 1 failed (seed 17)\n"), std::string::npos);
  std::vector<run_record> many(25, sample());
  for (size_t i = 0; i < many.size(); ++i)
    many[i].seed = i;
  auto t = summary_table(many);
  EXPECT_NE(t.find("25 runs: 0 passed, 25 failed (seeds 0, 1, 2, "), std::string::npos);
  EXPECT_NE(t.find(", 19, … +5 more)\n"), std::string::npos);
}

TEST(report_files, writes_both_files_into_a_fresh_dir) {
  temp_dir tmp;
  auto dir = tmp.path / "nested" / "report";
  auto r = sample();
  auto st = write_report(dir.string(), r);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  auto text = read(dir / "report.json");
  EXPECT_EQ(json::parse(text), report_json(r));
  EXPECT_NE(text.find("\n  \"brokers\": [\n    0,"), std::string::npos) << "pretty, 2 spaces";
  EXPECT_EQ(read(dir / "report.html"), report_html(r));
}

TEST(report_files, invalid_utf8_does_not_lose_the_report) {
  temp_dir tmp;
  auto r = sample();
  r.violations[0].detail = "bad \xff byte";
  ASSERT_TRUE(write_report(tmp.path.string(), r).is_ok());
  EXPECT_NE(read(tmp.path / "report.json").find("bad \xEF\xBF\xBD byte"), std::string::npos);
}

TEST(report_files, unwritable_dir_names_the_path) {
  temp_dir tmp;
  fs::create_directories(tmp.path);
  std::ofstream{tmp.path / "plain-file"} << "x";
  auto dir = (tmp.path / "plain-file" / "report").string();
  auto st = write_report(dir, sample());
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find(dir), std::string::npos) << st.message();
}

// Writes the sample's report where report_in_chromium.sh looks for it (ctest sets the variable); without it,
// only checks that the sample can be written.
TEST(report_files, sample_for_browser) {
  temp_dir tmp;
  const char* dir = std::getenv("KACTOR_REPORT_SAMPLE_DIR");
  auto st = write_report(dir ? dir : tmp.path.string(), sample());
  ASSERT_TRUE(st.is_ok()) << st.to_string();
}
