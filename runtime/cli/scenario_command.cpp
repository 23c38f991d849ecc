#include "runtime/cli/scenario_command.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <ostream>

#include "runtime/cli/commands.hpp"
#include "runtime/cli/input.hpp"
#include "sim/scenario/report.hpp"
#include "sim/scenario/scenario_data.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace kactor::runtime {

int scenario_command(const scenario_options& opts, std::ostream& out, std::ostream& err) {
  std::string text{sim::default_scenario_yaml()};
  if (!opts.file.empty()) {
    auto read = read_text(opts.file);
    if (!read.is_ok()) {
      err << "error: " << read.error().message() << '\n';
      return exit_bad_input;
    }
    text = read.value();
  }
  auto parsed = sim::parse_scenario(text);
  if (!parsed.is_ok()) {
    err << "error: " << (opts.file.empty() ? "default scenario" : opts.file) << ": " << parsed.error().message()
        << '\n';
    return exit_bad_input;
  }
  auto s = parsed.value();
  if (opts.scale) {
    if (*opts.scale <= 0 || *opts.scale > 10000) {
      err << "error: --scale must be in (0, 10000]\n";
      return exit_bad_input;
    }
    s.scale = *opts.scale;
  }
  if (opts.runs < 1) {
    err << "error: --runs must be at least 1\n";
    return exit_bad_input;
  }
  if (opts.unsafe_roll)
    s.flaw = model::operator_flaw::roll_two_at_once;
  if (!opts.flaw.empty()) {
    auto flaw = model::parse_operator_flaw(opts.flaw);
    if (!flaw) {
      err << "error: --flaw-for-tests: unknown flaw \"" << opts.flaw << "\" (flaws:";
      for (const auto& [f, name] : model::operator_flaw_names)
        err << ' ' << name;
      err << ")\n";
      return exit_bad_input;
    }
    s.flaw = *flaw;
  }
  auto first = opts.seed.value_or(s.seed);
  bool tty = &out == &std::cout && ::isatty(STDOUT_FILENO);
  std::vector<sim::run_record> runs;
  for (int i = 0; i < opts.runs; ++i) {
    sim::runner_options ro;
    ro.seed = first + uint64_t(i);
    ro.progress = opts.runs == 1 ? &out : nullptr;
    ro.tty = tty;
    auto rec = sim::run_scenario(s, ro);
    if (opts.runs == 1)
      sim::print_run_summary(rec, out);
    else
      out << (rec.passed ? "  ok    " : "  FAIL  ") << "seed " << rec.seed << "  " << rec.wall_ms << " ms"
          << (rec.violations.empty() ? ""
                                     : "  " + rec.violations.front().invariant + ": " + rec.violations.front().detail)
          << '\n'
          << std::flush;
    if (!opts.report_dir.empty()) {
      auto dir = opts.runs == 1 ? opts.report_dir : opts.report_dir + "/seed-" + std::to_string(rec.seed);
      if (opts.runs == 1 || i == 0 || !rec.passed)
        if (auto st = sim::write_report(dir, rec); !st.is_ok())
          err << "error: " << st.message() << '\n';
    }
    runs.push_back(std::move(rec));
  }
  if (opts.runs > 1) {
    out << sim::summary_table(runs);
    if (!opts.report_dir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(opts.report_dir, ec);
      std::ofstream f(opts.report_dir + "/sweep.json");
      f << sim::sweep_json(runs).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      if (ec || !f)
        err << "error: cannot write " << opts.report_dir << "/sweep.json\n";
    }
  }
  if (!opts.report_dir.empty())
    out << "kactor sim: report in " << opts.report_dir << (opts.runs == 1 ? "/report.html" : "/sweep.json") << '\n';
  bool passed = std::all_of(runs.begin(), runs.end(), [](const auto& r) { return r.passed; });
  return passed ? 0 : 1;
}

} // namespace kactor::runtime
