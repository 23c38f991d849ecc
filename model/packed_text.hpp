// Packed text: JSON text kept between uses in zlib's deflate format, for what the operator holds per
// object and per broker (cached Pods, ConfigMaps, PVCs, Services; each broker actor's desired objects).
//
// Why: at 3,000 brokers the text of those objects alone is ~60 MB; deflated it is about a fifth. Packing a
// 3 KB object takes ~20 µs and unpacking ~5 µs, well under the JSON parse each read does anyway.
//
// Pure: no I/O, no clock; safe from any thread (each thread keeps one zlib stream of each kind, reset per
// use: zlib's ~256 KB of state is not allocated per object). unpack() names the byte offset at which bad input fails
// and never throws.
#pragma once

#include <string>
#include <string_view>

#include "model/status.hpp"

namespace kactor::model {

/// `text` deflated (zlib format, fastest level). Fails only as any allocation does (std::bad_alloc).
/// A `dictionary` (zlib's preset dictionary: text the input likely repeats, its last 32 KB used) makes
/// objects of one kind, which differ in a few fields, ~10 times smaller (a cached Pod: 1.4 KB → 0.14 KB);
/// unpack() then needs the same dictionary.
std::string pack(std::string_view text, std::string_view dictionary = {});

/// The text pack() was given. An error names where `packed` stops being a valid zlib stream, or says that
/// it needs a dictionary, or another one than `dictionary`.
result<std::string> unpack(std::string_view packed, std::string_view dictionary = {});

} // namespace kactor::model
