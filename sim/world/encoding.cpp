#include "sim/world/encoding.hpp"

#include <chrono>
#include <cstdint>
#include <ctime>

#include "model/time.hpp"

namespace kactor::sim {

std::string rfc3339_now() { return model::format_rfc3339(std::chrono::system_clock::now()); }

std::string base64(std::string_view in) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8)
                 | static_cast<uint8_t>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6)
      out += table[(n >> s) & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size())
      n |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += i + 1 < in.size() ? table[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

} // namespace kactor::sim
