// report_html (declared in report.hpp): the page around the timeline, and the timeline itself — an inline SVG
// with one lane per broker. Kept apart from report.cpp to stay within the 400-line guide.
#include "sim/scenario/report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kactor::sim {

namespace {

using rr = run_record;

/// Escapes text for HTML content and quoted attribute values alike (record strings come from user files).
std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

/// SVG coordinates with one decimal: pages with thousands of marks stay small.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string broker_name(int32_t broker) {
  return broker < 0 ? "cluster" : "broker " + std::to_string(broker);
}

/// "1m00s – 2m30s (1m30s)", or "at 1m00s" for an instant.
std::string span_text(int64_t start, int64_t end) {
  if (end <= start)
    return "at " + format_sim_ms(start);
  return format_sim_ms(start) + " – " + format_sim_ms(end) + " (" + format_sim_ms(end - start) + ")";
}

std::string times(double scale) {
  auto s = format_scale(scale);
  return s == "—" ? s : s + "×";
}

constexpr const char* page_css = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:16px 24px;color:#212121}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 6px}
header{border-left:6px solid;padding:4px 14px}header.passed{border-color:#2e7d32}header.failed{border-color:#c62828}
.verdict{font-size:13px;padding:2px 8px;border-radius:4px;color:#fff;vertical-align:middle;margin-left:8px}
.passed .verdict{background:#2e7d32}.failed .verdict{background:#c62828}
.description{margin:2px 0 8px;color:#555;white-space:pre-line}
dl{display:flex;flex-wrap:wrap;gap:4px 24px;margin:6px 0}dl div{min-width:60px}
dt{font-size:12px;color:#757575}dd{margin:0;font-weight:600}dl.counters dd{font-weight:400}
.violations{border:1px solid #ef9a9a;background:#ffebee;padding:4px 14px;border-radius:4px}
.violations li{margin:3px 0}.inv{font-weight:600;color:#b71c1c}
table{border-collapse:collapse}th,td{padding:3px 10px;text-align:left;border-bottom:1px solid #e0e0e0}
td.time{font-variant-numeric:tabular-nums;white-space:nowrap}td.ok{color:#2e7d32}td.fail{color:#c62828;font-weight:600}
.scroll{overflow-x:auto}svg text{font-family:inherit}
.tick{font-size:11px;fill:#616161;text-anchor:middle}.grid{stroke:#000;stroke-opacity:.08}
.guide{stroke:#1565c0;stroke-opacity:.45;stroke-dasharray:4 3}.grid,.guide{pointer-events:none}
.step{fill:#e3f2fd;stroke:#64b5f6}.step.fail{fill:#ffcdd2;stroke:#e53935}.step-label{font-size:11px;fill:#0d47a1}
.lane-bg{fill:#fafafa}.lane-bg.odd{fill:#f0f0f0}.lane-label{font-size:12px;fill:#424242}
.pod.ready{fill:#43a047}.pod.running{fill:#fdd835}.pod.pending{fill:#9e9e9e}.pod.terminating{fill:#fb8c00}
.pod.other{fill:#8d6e63}.fault{fill:#e53935;fill-opacity:.25;stroke:#c62828;stroke-opacity:.7}
.cc{fill:#8e24aa}.cc.bad{stroke:#d50000}
.cc-label{font-size:9px;fill:#4a148c;paint-order:stroke;stroke:#fff;stroke-width:2px}
.restart.by-operator{fill:#1565c0}.restart.by-fault{fill:#d50000}.restart.by-other{fill:#424242}
.violation path{fill:none;stroke:#b71c1c;stroke-width:2.5}.violation path.halo{stroke:#fff;stroke-width:5}
.legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:12px;margin:6px 0 0}
.legend svg{vertical-align:middle;margin-right:4px}
)";

// --- Timeline geometry --------------------------------------------------------------------------------------

/// Where the timeline draws: x from simulated time, y from the lane (0: the cluster lane, then r.brokers).
struct layout {
  static constexpr double width = 1200, left = 96, right = 16;
  static constexpr double band_y = 22, band_h = 22, lanes_y = 54, lane_h = 28;
  int64_t t_max = 1000; ///< the time at the right edge
  size_t lanes = 1;

  double x(int64_t ms) const { return left + std::clamp<double>(ms, 0, t_max) * (width - left - right) / t_max; }
  double top(size_t lane) const { return lanes_y + lane * lane_h; }
  double bottom() const { return top(lanes); }
  double height() const { return bottom() + 24; }
};

/// The right edge: the run's end or the latest recorded time, whichever comes last (at least 1s).
int64_t timeline_end(const rr& r) {
  int64_t t = std::max<int64_t>(r.simulated_ms, 1000);
  for (const auto& s : r.steps)
    t = std::max(t, s.end_ms);
  for (const auto& f : r.faults)
    t = std::max(t, f.end_ms);
  for (const auto& p : r.pod_states)
    t = std::max(t, p.end_ms);
  for (const auto& c : r.cc_operations)
    t = std::max(t, c.end_ms);
  for (const auto& x : r.restarts)
    t = std::max(t, x.at_ms);
  for (const auto& v : r.violations)
    t = std::max(t, v.at_ms);
  return t;
}

/// A round tick distance giving at most 12 ticks: 100ms … 30s, 1min … 30min, 1h, 2h, ...
int64_t tick_step(int64_t t_max) {
  static constexpr int64_t steps[] = {100,    200,    500,     1'000,   2'000,   5'000,   10'000,    15'000,
                                      30'000, 60'000, 120'000, 300'000, 600'000, 900'000, 1'800'000, 3'600'000};
  for (auto s : steps)
    if (t_max / s <= 12)
      return s;
  return (t_max / 12 / 3'600'000 + 1) * 3'600'000;
}

std::string rect(const char* cls, double x, double y, double w, double h, const std::string& title) {
  return "<rect class=\"" + std::string{cls} + "\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w)
         + "\" height=\"" + num(h) + "\"><title>" + escape(title) + "</title></rect>";
}

/// Tick labels above and below the lanes; the grid lines are drawn later, over the lanes.
std::string axis(const layout& l, std::string& grid) {
  std::string out;
  auto step = tick_step(l.t_max);
  for (int64_t i = 0; i <= l.t_max / step; ++i) { // not `t += step`: no overflow near INT64_MAX
    auto t = i * step;
    auto x = num(l.x(t));
    auto label = escape(format_sim_ms(t));
    out += "<text class=\"tick\" x=\"" + x + "\" y=\"14\">" + label + "</text>";
    out += "<text class=\"tick\" x=\"" + x + "\" y=\"" + num(l.bottom() + 16) + "\">" + label + "</text>";
    grid += "<line class=\"grid\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + num(layout::band_y) + "\" y2=\""
            + num(l.bottom()) + "\"/>";
  }
  return out;
}

/// The steps as labelled spans; a label is clipped to its span (a nested <svg> clips its content).
std::string step_band(const rr& r, const layout& l, std::string& guides) {
  std::string out = "<g class=\"steps\">";
  for (const auto& s : r.steps) {
    double x = l.x(s.start_ms), w = std::max(l.x(s.end_ms) - x, 2.0);
    auto title = s.name + ": " + span_text(s.start_ms, s.end_ms) + (s.ok ? ", ok" : ", FAILED: " + s.problem);
    out += rect(s.ok ? "step" : "step fail", x, layout::band_y, w, layout::band_h, title);
    if (w >= 24)
      out += "<svg x=\"" + num(x) + "\" y=\"" + num(layout::band_y) + "\" width=\"" + num(w) + "\" height=\""
             + num(layout::band_h) + "\"><text class=\"step-label\" x=\"4\" y=\"15\">" + escape(s.name)
             + "</text></svg>";
    guides += "<line class=\"guide\" x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(layout::band_y)
              + "\" y2=\"" + num(l.bottom()) + "\"/>";
  }
  return out + "</g>";
}

// --- Lanes --------------------------------------------------------------------------------------------------

/// One lane's marks, by layer (drawn in this order: later layers on top).
struct lane_marks {
  std::string pods, faults, cc, restarts, violations;
};

/// Lane of each broker; anything of a broker without a lane (-1, or missing from r.brokers) goes to the
/// cluster lane, where its tooltip still names the broker.
struct lane_map {
  std::map<int32_t, size_t> index;
  explicit lane_map(const rr& r) {
    for (size_t i = 0; i < r.brokers.size(); ++i)
      index.emplace(r.brokers[i], i + 1);
  }
  size_t operator()(int32_t broker) const {
    auto it = index.find(broker);
    return it == index.end() ? 0 : it->second;
  }
};

const char* pod_class(const std::string& state) {
  if (state == "Ready")
    return "pod ready";
  if (state == "Running")
    return "pod running";
  if (state == "Pending")
    return "pod pending";
  if (state == "Terminating")
    return "pod terminating";
  return "pod other";
}

void add_pods_and_faults(const rr& r, const layout& l, const lane_map& lane, std::vector<lane_marks>& m) {
  for (const auto& p : r.pod_states) {
    if (p.state == "Absent")
      continue; // the empty lane says it
    double x = l.x(p.start_ms), w = std::max(l.x(p.end_ms) - x, 1.0);
    auto title = broker_name(p.broker) + ": " + p.state + ", " + span_text(p.start_ms, p.end_ms);
    m[lane(p.broker)].pods += rect(pod_class(p.state), x, l.top(lane(p.broker)) + 3, w, 18, title);
  }
  for (const auto& f : r.faults) {
    // An instant fault (end == start) is a 2px line centred on its time.
    double x = l.x(f.start_ms), w = l.x(f.end_ms) - x;
    if (w < 2)
      x -= 1, w = 2;
    auto title = "fault " + f.kind + " on " + f.target + ", " + span_text(f.start_ms, f.end_ms);
    m[lane(f.broker)].faults += rect("fault", x, l.top(lane(f.broker)) + 1, w, layout::lane_h - 2, title);
  }
}

void add_cc_operations(const rr& r, const layout& l, const lane_map& lane, std::vector<lane_marks>& m) {
  for (const auto& c : r.cc_operations) {
    double x = l.x(c.start_ms), w = std::max(l.x(c.end_ms) - x, 2.0);
    std::string who;
    for (auto b : c.brokers)
      who += (who.empty() ? "" : ", ") + std::to_string(b);
    auto title = "Cruise Control " + c.endpoint + (who.empty() ? "" : " (brokers " + who + ")") + ": " + c.state + ", "
                 + span_text(c.start_ms, c.end_ms);
    const char* cls = c.state == "CompletedWithError" || c.state == "Refused" ? "cc bad" : "cc";
    auto draw = [&](size_t ln) {
      auto& out = m[ln].cc;
      out += rect(cls, x, l.top(ln) + 22, w, 4, title);
      if (w >= 5.5 * static_cast<double>(c.endpoint.size()) + 4) // 9px labels: ~5.5px per character
        out += "<text class=\"cc-label\" x=\"" + num(x + 2) + "\" y=\"" + num(l.top(ln) + 19) + "\">"
               + escape(c.endpoint) + "</text>";
    };
    if (c.brokers.empty())
      draw(0); // a cluster-wide operation (a rebalance of everything)
    for (auto b : c.brokers)
      draw(lane(b));
  }
}

void add_markers(const rr& r, const layout& l, const lane_map& lane, std::vector<lane_marks>& m) {
  for (const auto& x : r.restarts) {
    auto cls = x.cause == "operator" ? "restart by-operator"
               : x.cause == "fault"  ? "restart by-fault"
                                     : "restart by-other";
    auto px = l.x(x.at_ms);
    auto top = l.top(lane(x.broker));
    m[lane(x.broker)].restarts
        += "<path class=\"" + std::string{cls} + "\" d=\"M" + num(px - 5) + " " + num(top + 1) + "h10l-5 9z\"><title>"
           + escape(broker_name(x.broker) + " restarted by " + x.cause + " at " + format_sim_ms(x.at_ms))
           + "</title></path>";
  }
  for (const auto& v : r.violations) {
    auto px = l.x(v.at_ms), cy = l.top(lane(v.broker)) + layout::lane_h / 2;
    auto d = "M" + num(px - 5) + " " + num(cy - 5) + "l10 10m0 -10l-10 10";
    m[lane(v.broker)].violations += "<g class=\"violation\"><path class=\"halo\" d=\"" + d + "\"/><path d=\"" + d
                                    + "\"/><title>"
                                    + escape("violation " + v.invariant + " at " + format_sim_ms(v.at_ms) + " ("
                                             + broker_name(v.broker) + "): " + v.detail)
                                    + "</title></g>";
  }
}

std::string lanes(const rr& r, const layout& l) {
  lane_map lane{r};
  std::vector<lane_marks> m(l.lanes);
  add_pods_and_faults(r, l, lane, m);
  add_cc_operations(r, l, lane, m);
  add_markers(r, l, lane, m);
  std::string out;
  for (size_t i = 0; i < l.lanes; ++i) {
    auto id = i == 0 ? std::string{"cluster"} : std::to_string(r.brokers[i - 1]);
    out += i == 0 ? "<g class=\"lane cluster-lane\" data-broker=\"cluster\">"
                  : "<g class=\"lane broker-lane\" data-broker=\"" + id + "\">";
    out += "<rect class=\"lane-bg" + std::string{i % 2 ? " odd" : ""} + "\" x=\"" + num(layout::left) + "\" y=\""
           + num(l.top(i)) + "\" width=\"" + num(layout::width - layout::left - layout::right) + "\" height=\""
           + num(layout::lane_h) + "\"/>";
    out += "<text class=\"lane-label\" x=\"8\" y=\"" + num(l.top(i) + 18) + "\">"
           + (i == 0 ? std::string{"cluster"} : "broker " + id) + "</text>";
    out += m[i].pods + m[i].faults + m[i].cc + m[i].restarts + m[i].violations + "</g>";
  }
  return out;
}

std::string timeline_svg(const rr& r) {
  layout l;
  l.t_max = timeline_end(r);
  l.lanes = r.brokers.size() + 1;
  std::string overlay; // grid and step guides go over the lane backgrounds, under nothing clickable
  auto h = num(l.height());
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"" + num(layout::width)
                    + "\" height=\"" + h + "\" viewBox=\"0 0 " + num(layout::width) + " " + h + "\">";
  out += axis(l, overlay);
  out += step_band(r, l, overlay);
  out += lanes(r, l);
  return out + overlay + "</svg>";
}

std::string legend() {
  auto key = [](const std::string& shape, const char* label) {
    return "<span><svg width=\"16\" height=\"14\">" + shape + "</svg>" + label + "</span>";
  };
  auto box = [](const char* cls) {
    return "<rect class=\"" + std::string{cls} + "\" x=\"1\" y=\"2\" width=\"14\" height=\"10\"/>";
  };
  return "<div class=\"legend\">" + key(box("pod ready"), "Ready") + key(box("pod running"), "Running, not ready")
         + key(box("pod pending"), "Pending") + key(box("pod terminating"), "Terminating") + key(box("step"), "step")
         + key(box("step fail"), "failed step") + key(box("fault"), "fault")
         + key("<rect class=\"cc\" x=\"1\" y=\"5\" width=\"14\" height=\"4\"/>", "Cruise Control operation")
         + key("<path class=\"restart by-operator\" d=\"M3 2h10l-5 9z\"/>", "restart by the operator")
         + key("<path class=\"restart by-fault\" d=\"M3 2h10l-5 9z\"/>", "restart by a fault")
         + key("<g class=\"violation\"><path d=\"M3 2l10 10m0 -10l-10 10\"/></g>", "violation") + "</div>";
}

// --- Page sections ------------------------------------------------------------------------------------------

std::string fact(const std::string& name, const std::string& value) {
  return "<div><dt>" + escape(name) + "</dt><dd>" + escape(value) + "</dd></div>";
}

std::string header(const rr& r) {
  auto failed_steps = std::count_if(r.steps.begin(), r.steps.end(), [](const auto& s) { return !s.ok; });
  std::string out = "<header class=\"" + std::string{r.passed ? "passed" : "failed"} + "\"><h1>" + escape(r.scenario)
                    + "<span class=\"verdict\">" + (r.passed ? "PASSED" : "FAILED") + "</span></h1>";
  if (!r.description.empty())
    out += "<p class=\"description\">" + escape(r.description) + "</p>";
  std::string invariants;
  for (const auto& i : r.invariants)
    invariants += (invariants.empty() ? "" : ", ") + i;
  out += "<dl>" + fact("seed", std::to_string(r.seed))
         + fact("scale", times(r.scale) + " asked, " + times(r.scale_reached) + " reached")
         + fact("simulated", format_sim_ms(r.simulated_ms)) + fact("wall", format_sim_ms(r.wall_ms))
         + fact("brokers", std::to_string(r.brokers.size()))
         + fact("steps",
                std::to_string(r.steps.size()) + (failed_steps ? " (" + std::to_string(failed_steps) + " failed)" : ""))
         + fact("faults", std::to_string(r.faults.size())) + fact("restarts", std::to_string(r.restarts.size()))
         + fact("violations", std::to_string(r.violations.size()))
         + (invariants.empty() ? "" : fact("invariants checked", invariants)) + "</dl>";
  if (!r.counters.empty()) {
    out += "<dl class=\"counters\">";
    for (const auto& [name, value] : r.counters)
      out += fact(name, std::to_string(value));
    out += "</dl>";
  }
  return out + "</header>";
}

std::string violations(const rr& r) {
  if (r.violations.empty())
    return {};
  std::vector<const rr::violation*> sorted;
  for (const auto& v : r.violations)
    sorted.push_back(&v);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto a, auto b) { return a->at_ms < b->at_ms; });
  std::string out = "<section class=\"violations\"><h2>" + std::to_string(sorted.size()) + " violation"
                    + (sorted.size() == 1 ? "" : "s") + "</h2><ol>";
  for (auto v : sorted)
    out += "<li><span class=\"inv\">" + escape(v->invariant) + "</span> at " + escape(format_sim_ms(v->at_ms)) + " ("
           + escape(broker_name(v->broker)) + "): " + escape(v->detail) + "</li>";
  return out + "</ol></section>";
}

std::string steps(const rr& r) {
  std::string out = "<section><h2>Steps</h2><table><tr><th>step</th><th>start</th><th>end</th><th>result</th>"
                    "<th>problem</th></tr>";
  for (const auto& s : r.steps)
    out += "<tr><td>" + escape(s.name) + "</td><td class=\"time\">" + escape(format_sim_ms(s.start_ms))
           + "</td><td class=\"time\">" + escape(format_sim_ms(s.end_ms)) + "</td>"
           + (s.ok ? "<td class=\"ok\">ok</td>" : "<td class=\"fail\">FAIL</td>") + "<td>" + escape(s.problem)
           + "</td></tr>";
  return out + "</table></section>";
}

} // namespace

std::string report_html(const run_record& r) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(r.scenario) + " — "
         + (r.passed ? "PASSED" : "FAILED") + " — kactor sim</title><style>" + page_css + "</style></head><body>\n"
         + header(r) + violations(r) + "\n<section><h2>Timeline</h2><div class=\"scroll\">" + timeline_svg(r) + "</div>"
         + legend() + "</section>\n" + steps(r) + "\n</body></html>\n";
}

} // namespace kactor::sim
