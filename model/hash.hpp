// Stable content hashes for names and revisions: FNV-1a 64, identical on every platform and run.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kactor::model {

/// FNV-1a 64-bit hash of `data`.
uint64_t fnv1a64(std::string_view data);

/// The first `digits` lowercase hex digits (at most 16) of fnv1a64(data).
std::string short_hash(std::string_view data, size_t digits = 16);

} // namespace kactor::model
