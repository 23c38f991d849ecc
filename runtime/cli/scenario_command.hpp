// `kactor sim` without --serve: runs a scenario — the embedded default one, or -f FILE — once or over a
// sweep of seeds, printing live progress and a summary, and writing report.json / report.html.
//
// --runs N runs seeds seed..seed+N-1 quietly (a line per run, then a table); --report DIR gets DIR/report.*
// for one run, and for a sweep DIR/sweep.json plus DIR/seed-N/report.* for the first run and every
// failed one. Exit code 0 when every run held every invariant, 1 when one did not, 2 for bad input
// (the scenario file's error names the field or the YAML line).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace kactor::runtime {

struct scenario_options {
  std::string file;              ///< "" the embedded default scenario
  std::optional<uint64_t> seed;  ///< default: the scenario's
  int runs = 1;
  std::string report_dir;        ///< "" none
  std::optional<double> scale;   ///< overrides the scenario's
  std::string flaw;              ///< test-only: a deliberate operator flaw by name (model/operator_flaw.hpp)
  bool unsafe_roll = false;      ///< test-only: the flaw roll-two-at-once (its older flag)
};

int scenario_command(const scenario_options& opts, std::ostream& out, std::ostream& err);

} // namespace kactor::runtime
