#include "sim/scenario/report.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace kactor::sim {

namespace {

using nlohmann::json;

// --- Terminal text helpers ---------------------------------------------------------------------------------

/// Code points: what a terminal column counts (wide CJK characters aside).
size_t display_length(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

/// At most `n` code points (never cutting one in half), with "…" as the last one when cut.
std::string truncate(std::string_view s, size_t n) {
  if (display_length(s) <= n)
    return std::string{s};
  size_t kept = 0, i = 0;
  for (; i < s.size(); ++i)
    if ((s[i] & 0xC0) != 0x80 && kept++ == n - 1)
      break;
  return std::string{s.substr(0, i)} + "…";
}

/// The earliest violation (the first of equals), or null.
const run_record::violation* first_violation(const run_record& r) {
  auto it = std::min_element(r.violations.begin(), r.violations.end(),
                             [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
  return it == r.violations.end() ? nullptr : &*it;
}

// --- JSON ---------------------------------------------------------------------------------------------------

json violation_json(const run_record::violation& v) {
  return {{"invariant", v.invariant}, {"detail", v.detail}, {"broker", v.broker}, {"atMs", v.at_ms}};
}

template <class T, class F>
json array_of(const std::vector<T>& items, F to_json) {
  auto out = json::array();
  for (const auto& item : items)
    out.push_back(to_json(item));
  return out;
}

} // namespace

std::string format_sim_ms(int64_t ms) {
  if (ms < 0)
    return "-" + format_sim_ms(-ms);
  if (ms < 1000)
    return ms == 0 ? "0s" : std::to_string(ms) + "ms";
  auto h = ms / 3'600'000, m = ms / 60'000 % 60, s = ms / 1000 % 60, tenths = ms / 100 % 10;
  auto two = [](int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  auto sec = (h || m ? two(s) : std::to_string(s)) + (tenths ? "." + std::to_string(tenths) : "") + "s";
  if (!h && !m)
    return sec;
  bool with_s = s || tenths;
  if (!h)
    return std::to_string(m) + "m" + (with_s ? sec : "");
  return std::to_string(h) + "h" + (m || with_s ? two(m) + "m" : "") + (with_s ? sec : "");
}

std::string format_scale(double x) {
  if (!std::isfinite(x) || x <= 0)
    return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, x >= 1000 ? "%.0f" : "%.1f", x);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
    s.resize(s.size() - 2);
  return s;
}

json report_json(const run_record& r) {
  using rr = run_record;
  return {
      {"scenario", r.scenario},
      {"description", r.description},
      {"seed", r.seed},
      {"scale", r.scale},
      {"scaleReached", r.scale_reached},
      {"simulatedMs", r.simulated_ms},
      {"wallMs", r.wall_ms},
      {"passed", r.passed},
      {"steps", array_of(r.steps,
                         [](const rr::step& s) -> json {
                           return {{"name", s.name},
                                   {"startMs", s.start_ms},
                                   {"endMs", s.end_ms},
                                   {"ok", s.ok},
                                   {"problem", s.problem}};
                         })},
      {"faults", array_of(r.faults,
                          [](const rr::fault& f) -> json {
                            return {{"kind", f.kind},
                                    {"target", f.target},
                                    {"broker", f.broker},
                                    {"startMs", f.start_ms},
                                    {"endMs", f.end_ms}};
                          })},
      {"violations", array_of(r.violations, violation_json)},
      {"podStates",
       array_of(r.pod_states,
                [](const rr::pod_interval& p) -> json {
                  return {{"broker", p.broker}, {"state", p.state}, {"startMs", p.start_ms}, {"endMs", p.end_ms}};
                })},
      {"restarts", array_of(r.restarts,
                            [](const rr::restart& x) -> json {
                              return {{"broker", x.broker}, {"atMs", x.at_ms}, {"cause", x.cause}};
                            })},
      {"ccOperations", array_of(r.cc_operations,
                                [](const rr::cc_operation& c) -> json {
                                  return {{"endpoint", c.endpoint},
                                          {"brokers", c.brokers},
                                          {"state", c.state},
                                          {"startMs", c.start_ms},
                                          {"endMs", c.end_ms}};
                                })},
      {"brokers", r.brokers},
      {"invariants", r.invariants},
      {"counters", r.counters},
  };
}

json sweep_json(const std::vector<run_record>& runs) {
  auto rows = json::array();
  int passed = 0;
  for (const auto& r : runs) {
    passed += r.passed;
    auto first = first_violation(r);
    rows.push_back({{"seed", r.seed},
                    {"passed", r.passed},
                    {"simulatedMs", r.simulated_ms},
                    {"wallMs", r.wall_ms},
                    {"scaleReached", r.scale_reached},
                    {"violations", r.violations.size()},
                    {"firstViolation", first ? violation_json(*first) : json(nullptr)}});
  }
  return {{"scenario", runs.empty() ? std::string{} : runs.front().scenario},
          {"passed", passed},
          {"failed", static_cast<int>(runs.size()) - passed},
          {"runs", std::move(rows)}};
}

// --- Terminal table -----------------------------------------------------------------------------------------

namespace {

/// "1 run: 0 passed, 1 failed (seed 17)"; long seed lists are cut so the line stays readable.
std::string totals_line(const std::vector<run_record>& runs) {
  std::vector<uint64_t> failed;
  for (const auto& r : runs)
    if (!r.passed)
      failed.push_back(r.seed);
  auto n = runs.size();
  std::string line = std::to_string(n) + (n == 1 ? " run: " : " runs: ") + std::to_string(n - failed.size())
                     + " passed, " + std::to_string(failed.size()) + " failed";
  if (failed.empty())
    return line;
  constexpr size_t max_listed = 20;
  line += failed.size() == 1 ? " (seed " : " (seeds ";
  for (size_t i = 0; i < std::min(failed.size(), max_listed); ++i)
    line += (i ? ", " : "") + std::to_string(failed[i]);
  if (failed.size() > max_listed)
    line += ", … +" + std::to_string(failed.size() - max_listed) + " more";
  return line + ")";
}

std::vector<std::string> table_row(const run_record& r) {
  std::string first;
  if (auto v = first_violation(r)) {
    first = v->invariant + " at " + format_sim_ms(v->at_ms) + ": " + v->detail;
    std::replace(first.begin(), first.end(), '\n', ' ');
    first = truncate(first, 60);
  }
  auto scale = format_scale(r.scale_reached);
  return {std::to_string(r.seed),
          r.passed ? "passed" : "FAILED",
          format_sim_ms(r.simulated_ms),
          format_sim_ms(r.wall_ms),
          scale == "—" ? scale : scale + "x",
          std::to_string(r.violations.size()),
          first};
}

} // namespace

std::string summary_table(const std::vector<run_record>& runs) {
  std::vector<std::vector<std::string>> rows{
      {"seed", "verdict", "simulated", "wall", "scale", "violations", "first violation"}};
  for (const auto& r : runs)
    rows.push_back(table_row(r));
  std::vector<size_t> width(rows.front().size(), 0);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], display_length(row[c]));
  rows.insert(rows.begin() + 1, std::vector<std::string>{});
  for (size_t c = 0; c < width.size(); ++c)
    rows[1].push_back(std::string(width[c], '-'));
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c)
      line += row[c] + std::string(c + 1 < row.size() ? width[c] - display_length(row[c]) + 2 : 0, ' ');
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  return out + totals_line(runs) + '\n';
}

// --- Files --------------------------------------------------------------------------------------------------

namespace {

model::status write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  if (out)
    out << text;
  if (out)
    out.close();
  if (!out)
    return model::status::invalid("cannot write " + path.string() + ": " + std::strerror(errno));
  return model::status::ok();
}

} // namespace

model::status write_report(const std::string& dir, const run_record& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return model::status::invalid("cannot create report directory " + dir + ": " + ec.message());
  // replace: a detail with invalid UTF-8 (bytes read from a broken file) must not lose the whole report.
  auto text = report_json(r).dump(2, ' ', false, json::error_handler_t::replace) + '\n';
  auto st = write_file(std::filesystem::path{dir} / "report.json", text);
  if (!st)
    return st;
  return write_file(std::filesystem::path{dir} / "report.html", report_html(r));
}

} // namespace kactor::sim
