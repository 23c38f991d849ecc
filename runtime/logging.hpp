// Process-wide logging setup (spdlog): human-readable text, or one JSON object per line for log
// collectors ({"time", "level", "logger", "msg"}, the message JSON-escaped). Call once at start-up,
// before any thread logs. Errors name the bad value.
#pragma once

#include <string>

#include "model/status.hpp"

namespace kactor::runtime {

/// `format` is "text" or "json"; `level` one of trace, debug, info, warn, error, off.
model::status configure_logging(const std::string& format, const std::string& level);

} // namespace kactor::runtime
