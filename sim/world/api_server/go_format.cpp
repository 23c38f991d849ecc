#include "sim/world/api_server/go_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <utility>

namespace kactor::sim {

namespace {

using json = nlohmann::json;

// The shortest decimal digits that read back as `v` (what Go's strconv uses for precision -1), and the
// exponent of the first digit: 1500 → {"15", 3}.
std::pair<std::string, int> shortest_digits(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  std::string s{buf, res.ptr};
  auto e = s.find('e');
  std::string mantissa = s.substr(0, e);
  std::erase(mantissa, '.');
  return {mantissa, std::stoi(s.substr(e + 1))};
}

// %f with the shortest digits: 1500 → "1500", 0.25 → "0.25".
std::string fixed(const std::string& digits, int exp) {
  if (exp < 0)
    return "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  auto int_len = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_len)
    return digits + std::string(int_len - digits.size(), '0');
  return digits.substr(0, int_len) + "." + digits.substr(int_len);
}

} // namespace

std::string go_quote(const std::string& s) {
  static const std::map<unsigned char, std::string> escapes
      = {{'"', "\\\""}, {'\\', "\\\\"}, {'\a', "\\a"}, {'\b', "\\b"}, {'\f', "\\f"},
         {'\n', "\\n"}, {'\r', "\\r"},  {'\t', "\\t"}, {'\v', "\\v"}};
  std::string out = "\"";
  for (unsigned char c : s) {
    if (auto it = escapes.find(c); it != escapes.end()) {
      out += it->second;
    } else if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string go_float(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (v == 0)
    return std::signbit(v) ? "-0" : "0";
  auto [digits, exp] = shortest_digits(v);
  std::string sign = v < 0 ? "-" : "";
  // strconv's %g with shortest precision switches to %e when the exponent is < -4 or >= 6.
  if (exp < -4 || exp >= 6) {
    std::string mantissa = digits.size() > 1 ? digits.substr(0, 1) + "." + digits.substr(1) : digits;
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return sign + mantissa + e;
  }
  return sign + fixed(digits, exp);
}

int64_t go_int64(double f) {
  // 2^63 is exactly representable; anything at or beyond it (or NaN) does not fit.
  if (!(f > -9223372036854775808.0 && f < 9223372036854775808.0))
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(f);
}

bool is_go_int(const json& v) {
  if (v.is_number_unsigned())
    return v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return v.is_number_integer();
}

std::string go_sharp_v(const json& v) {
  if (v.is_null())
    return "interface {}(nil)";
  if (v.is_string())
    return go_quote(v.get<std::string>());
  if (v.is_boolean())
    return v.get<bool>() ? "true" : "false";
  if (is_go_int(v))
    return std::to_string(v.get<int64_t>());
  if (v.is_number())
    return go_float(v.get<double>());
  std::string out = v.is_array() ? "[]interface {}{" : "map[string]interface {}{";
  bool first = true;
  for (const auto& [key, item] : v.items()) {
    out += first ? "" : ", ";
    first = false;
    if (v.is_object())
      out += go_quote(key) + ":";
    out += go_sharp_v(item);
  }
  return out + "}";
}

std::string go_json(const json& v) {
  if (v.is_number_float()) {
    // encoding/json writes floats without a trailing ".0" (1.0 → 1), in %f form for ordinary magnitudes.
    double d = v.get<double>();
    if (d == 0)
      return "0";
    auto [digits, exp] = shortest_digits(d);
    return (d < 0 ? "-" : "") + fixed(digits, exp);
  }
  if (!v.is_structured())
    return v.dump();
  std::string out = v.is_array() ? "[" : "{";
  bool first = true;
  for (const auto& [key, item] : v.items()) {
    out += first ? "" : ",";
    first = false;
    if (v.is_object())
      out += json(key).dump() + ":";
    out += go_json(item);
  }
  return out + (v.is_array() ? "]" : "}");
}

std::string go_bad_value(const json& v) {
  if (v.is_null())
    return "\"null\"";
  if (v.is_string())
    return go_quote(v.get<std::string>());
  return go_sharp_v(v);
}

} // namespace kactor::sim
