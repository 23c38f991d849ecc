#include "model/hash.hpp"

namespace kactor::model {

uint64_t fnv1a64(std::string_view data) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string short_hash(std::string_view data, size_t digits) {
  static constexpr char hex[] = "0123456789abcdef";
  uint64_t h = fnv1a64(data);
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4)
    out[static_cast<size_t>(i)] = hex[h & 0xF];
  return out.substr(0, digits < 16 ? digits : 16);
}

} // namespace kactor::model
