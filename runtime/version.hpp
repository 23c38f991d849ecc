// kactor's version, from the CMake project version.
#pragma once

namespace kactor::runtime {

/// "0.1.0"
extern const char* const version_string;

} // namespace kactor::runtime
