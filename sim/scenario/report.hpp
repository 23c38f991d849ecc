// The report of a `kactor sim -f SCENARIO` run: report.json (every field of the run_record, camelCase keys),
// report.html (one self-contained page: verdict, violations, an SVG timeline with one lane per broker plus a
// cluster lane, the steps) and, for seed sweeps, a JSON summary and a fixed-width terminal table.
//
// Every string of the record comes from user files or the simulated world and is escaped in HTML and SVG;
// the page loads nothing from anywhere (inline CSS, no scripts). Times are simulated milliseconds from the
// run's start and are shown as format_sim_ms writes them ("850ms", "12.5s", "2m05s", "1h30m").
//
// The render functions are pure (no I/O, no clock) and safe from any thread; they throw nothing for any
// record (invalid UTF-8 is replaced in JSON output). write_report is the only I/O and reports failures as a
// status naming the path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/status.hpp"
#include "sim/scenario/run_record.hpp"

namespace kactor::sim {

/// A simulated (or wall) duration for people: "0s", "850ms", "12.5s", "2m05s", "2m05.5s", "1h30m",
/// "1h30m05s"; tenths of a second are truncated.
std::string format_sim_ms(int64_t ms);

/// A scale for people: "100", "98.7", "1250"; "—" when not finite or not positive (wall time 0, unset).
std::string format_scale(double x);

/// Every field of `r` under camelCase keys: "scenario", "description", "seed", "scale", "scaleReached",
/// "simulatedMs", "wallMs", "passed", "steps", "faults", "violations", "podStates", "restarts",
/// "ccOperations", "brokers", "invariants", "counters"; nested times end in "Ms" ("startMs", "atMs").
nlohmann::json report_json(const run_record& r);

/// One self-contained HTML page telling the run's story; `<g class="lane broker-lane" data-broker="N">` once
/// per entry of r.brokers, in order, and one `<g class="lane cluster-lane" data-broker="cluster">`.
std::string report_html(const run_record& r);

/// A seed sweep: {"scenario", "passed", "failed", "runs": [{"seed", "passed", "simulatedMs", "wallMs",
/// "scaleReached", "violations" (a count), "firstViolation"}]}. firstViolation is the earliest violation
/// as {"invariant", "detail", "broker", "atMs"}, or null. "scenario" is the first run's ("" for no runs).
nlohmann::json sweep_json(const std::vector<run_record>& runs);

/// A fixed-width table for the terminal, one row per run (seed, verdict, simulated, wall, scale, violations,
/// first violation cut to 60 characters), then a totals line: "200 runs: 198 passed, 2 failed (seeds 17,
/// 91)" ("(seed 17)" for one; at most 20 seeds are listed, then "… +N more"). Ends with a newline.
std::string summary_table(const std::vector<run_record>& runs);

/// Creates `dir` (and its parents) and writes dir/report.json (pretty, 2-space indent) and dir/report.html.
/// On failure returns an invalid status naming the directory or file; files written before it stay.
model::status write_report(const std::string& dir, const run_record& r);

} // namespace kactor::sim
