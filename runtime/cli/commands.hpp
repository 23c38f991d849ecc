// The subcommands behind the CLI, callable without CLI11 (tests call them directly).
//
// Each writes results to `out`, diagnostics to `err`, and returns the exit code (0 ok, 2 bad input).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace kactor::runtime {

/// Exit code for input that was read but rejected.
inline constexpr int exit_bad_input = 2;

/// Options of `kactor render`.
struct render_options {
  std::string file;
  std::optional<int32_t> broker;
  std::string output = "yaml"; ///< yaml or json
  std::string namespace_ = "";  ///< used for documents without metadata.namespace
};

/// `kactor validate -f FILE`: checks every KafkaCluster in FILE.
int validate_command(const std::string& file, std::ostream& out, std::ostream& err);

/// `kactor render -f FILE`: prints the objects kactor would create.
int render_command(const render_options& opts, std::ostream& out, std::ostream& err);

} // namespace kactor::runtime
