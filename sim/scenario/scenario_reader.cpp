#include "sim/scenario/scenario_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "model/properties.hpp"
#include "model/quantity.hpp"

namespace kactor::sim::detail {

namespace {

// Largest byte rate or size accepted (1 PiB): far beyond any simulation, and exact in a double.
constexpr long double max_bytes = 1125899906842624.0L;

constexpr const char* duration_hint = " (use e.g. 500ms, 30s, 5m, 1h, 1m30s or a whole number of seconds)";

// Milliseconds per unit at the start of `s` ("ms", "s", "m", "h"); advances past it. 0: no unit.
int64_t take_unit(std::string_view& s) {
  struct unit {
    std::string_view name;
    int64_t ms;
  };
  static constexpr unit units[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};
  for (const auto& u : units)
    if (s.substr(0, u.name.size()) == u.name) {
      s.remove_prefix(u.name.size());
      return u.ms;
    }
  return 0;
}

// "1m30s", "1.5s", "500ms", "30": a sequence of <decimal><unit>; nullopt when malformed, out of range or
// finer than a millisecond.
std::optional<int64_t> parse_duration_ms(std::string_view s) {
  bool bare = s.find_first_not_of("0123456789") == std::string_view::npos; // "30": seconds
  int64_t total = 0;
  if (s.empty())
    return std::nullopt;
  while (!s.empty()) {
    int64_t whole = 0, frac = 0, frac_scale = 1;
    size_t digits = 0;
    for (; !s.empty() && std::isdigit(static_cast<unsigned char>(s[0])); s.remove_prefix(1), ++digits)
      if ((whole = whole * 10 + (s[0] - '0')) > max_duration_ms)
        return std::nullopt;
    if (!s.empty() && s[0] == '.') {
      for (s.remove_prefix(1); !s.empty() && std::isdigit(static_cast<unsigned char>(s[0])); s.remove_prefix(1), ++digits) {
        if (frac_scale == 1'000'000 && s[0] != '0')
          return std::nullopt; // a 7th decimal is below a millisecond even for hours
        if (frac_scale < 1'000'000) {
          frac = frac * 10 + (s[0] - '0');
          frac_scale *= 10;
        }
      }
    }
    int64_t unit = bare ? 1000 : take_unit(s);
    if (digits == 0 || unit == 0 || (frac * unit) % frac_scale != 0 || whole > max_duration_ms / unit)
      return std::nullopt;
    total += whole * unit + frac * unit / frac_scale;
    if (total > max_duration_ms)
      return std::nullopt;
  }
  return total;
}

// Edit distance counting a swap of neighbours as one edit, for "did you mean" on unknown keys.
size_t distance(const std::string& a, const std::string& b) {
  if (a.size() > 64 || b.size() > 64)
    return a == b ? 0 : 64; // no key is that long: not worth a suggestion
  auto same = [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); };
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    for (size_t j = 0; j <= b.size(); ++j) {
      if (i == 0 || j == 0) {
        d[i][j] = i + j;
        continue;
      }
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

} // namespace

// ----- reader -----

std::string reader::shown(const json& v) {
  if (v.is_string())
    return quote(v.get<std::string>());
  auto s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

std::optional<std::string> reader::read_text(const json& v, const std::string& at, check c) {
  if (!v.is_string()) {
    fail(at, "expected a string, got " + shown(v));
    return std::nullopt;
  }
  std::string why = c ? c(v.get<std::string>()) : "";
  if (!why.empty()) {
    fail(at, why);
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<int64_t> reader::read_integer(const json& v, const std::string& at, int64_t min, int64_t max,
                                            const char* what) {
  bool fits = v.is_number_integer() && !(v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX));
  if (fits && v.get<int64_t>() >= min && v.get<int64_t>() <= max)
    return v.get<int64_t>();
  std::string expected = what ? what
                         : max == INT32_MAX || max == INT64_MAX
                           ? "an integer >= " + std::to_string(min)
                           : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  fail(at, "must be " + expected + ", got " + shown(v));
  return std::nullopt;
}

std::optional<int32_t> reader::read_broker_id(const json& v, const std::string& at) {
  auto id = read_integer(v, at, 0, INT32_MAX, "an integer broker id");
  return id ? std::optional<int32_t>{static_cast<int32_t>(*id)} : std::nullopt;
}

std::optional<double> reader::read_real(const json& v, const std::string& at, double min_exclusive, double max) {
  if (v.is_number() && v.get<double>() > min_exclusive && v.get<double>() <= max)
    return v.get<double>();
  auto num = [](double x) { return x == std::floor(x) ? std::to_string(int64_t(x)) : json(x).dump(); };
  fail(at, "must be a number above " + num(min_exclusive) + " and at most " + num(max) + ", got " + shown(v));
  return std::nullopt;
}

std::optional<sim_ms> reader::read_duration(const json& v, const std::string& at, int64_t min_ms) {
  std::optional<int64_t> ms;
  if (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0)
    ms = std::nullopt;
  else if (v.is_number_integer() && v.get<uint64_t>() <= uint64_t(max_duration_ms / 1000))
    ms = v.get<int64_t>() * 1000;
  else if (v.is_string())
    ms = parse_duration_ms(v.get<std::string>());
  if (!ms) {
    fail(at, "bad duration " + shown(v) + duration_hint);
    return std::nullopt;
  }
  if (*ms < min_ms) {
    fail(at, min_ms == 1 ? "must be longer than 0s" : "must be at least " + format_duration(sim_ms{min_ms}));
    return std::nullopt;
  }
  return sim_ms{*ms};
}

std::optional<long double> reader::read_bytes(const json& v, const std::string& at, bool positive) {
  long double value = 0;
  if (v.is_number()) {
    value = v.get<double>();
  } else if (v.is_string()) {
    auto q = model::parse_quantity(v.get<std::string>());
    if (!q) {
      fail(at, q.error().message());
      return std::nullopt;
    }
    value = q->value;
  } else {
    fail(at, "expected a byte size such as 50Mi, 1M or 1048576, got " + shown(v));
    return std::nullopt;
  }
  if (!(positive ? value > 0 : value >= 0) || !(value <= max_bytes)) {
    fail(at, std::string{"must be "} + (positive ? "above 0" : "at least 0") + " and at most 1Pi, got " + shown(v));
    return std::nullopt;
  }
  return std::floor(value);
}

std::optional<std::string> reader::read_size(const json& v, const std::string& at) {
  if (!read_bytes(v, at, true))
    return std::nullopt;
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::optional<fault_kind> reader::read_kind(const json& v, const std::string& at) {
  auto kind = v.is_string() ? fault_kind_from_string(v.get<std::string>()) : std::nullopt;
  if (!kind)
    fail(at, "unknown fault kind " + shown(v) + " (one of " + fault_kind_names() + ")");
  return kind;
}

std::optional<json> reader::read_labels(const json& v, const std::string& at, bool non_empty) {
  if (!v.is_object() || (non_empty && v.empty())) {
    fail(at, std::string{"expected a "} + (non_empty ? "non-empty " : "") + "mapping of names to values, got " + shown(v));
    return std::nullopt;
  }
  json out = json::object();
  for (const auto& [key, value] : v.items()) {
    if (value.is_structured() || value.is_null())
      fail(at + "." + key, "expected a string, got " + shown(value));
    else // YAML gives `brokerId: 1` a number; Alertmanager's labels are strings
      out[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return out;
}

// ----- mapping -----

mapping::mapping(reader& r, const json& v, std::string path)
  : r_(r), obj_(v.is_object() ? &v : nullptr), path_(std::move(path)) {
  if (!obj_)
    r_.fail(path_, "expected a mapping, got " + reader::shown(v));
}

bool mapping::has(const char* key) {
  known_.insert(key);
  return obj_ && obj_->contains(key);
}

const json* mapping::find(const char* key) {
  if (!has(key))
    return nullptr;
  const json& v = (*obj_)[key];
  return v.is_null() ? nullptr : &v;
}

size_t mapping::finish() {
  size_t unknown = 0;
  if (!obj_)
    return 0;
  for (const auto& [key, value] : obj_->items()) {
    if (known_.contains(key))
      continue;
    ++unknown;
    std::string best;
    for (const auto& k : known_)
      if (distance(key, k) <= std::min<size_t>(2, k.size() / 3) && (best.empty() || distance(key, k) < distance(key, best)))
        best = k;
    r_.fail(path_, "unknown key " + quote(key) + (best.empty() ? "" : " (did you mean " + quote(best) + "?)"));
  }
  return unknown;
}

// ----- values -----

std::string quote(const std::string& s) {
  size_t n = s.size() <= 60 ? s.size() : 57;
  while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n; // do not cut a UTF-8 sequence
  return "\"" + s.substr(0, n) + (n < s.size() ? "...\"" : "\"");
}

std::string format_duration(sim_ms d) {
  int64_t ms = d.count();
  if (ms == 0)
    return "0s";
  std::string out;
  for (auto [unit, name] : {std::pair<int64_t, const char*>{3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}})
    if (ms >= unit) {
      out += std::to_string(ms / unit) + name;
      ms %= unit;
    }
  return out;
}

bool is_dns_name(const std::string& s, size_t max, bool dots) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (s.empty() || s.size() > max || !alnum(s.front()) || !alnum(s.back()))
    return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (!alnum(s[i]) && s[i] != '-' && !(dots && s[i] == '.' && s[i + 1] != '.' && s[i - 1] != '.'))
      return false;
  return true;
}

bool valid_utf8(const json& v) {
  // Writing JSON is where invalid UTF-8 would surface (the runner writes reports and patches as JSON);
  // asking the writer to replace bad bytes and comparing with a strict dump finds it without throwing.
  return v.dump(-1, ' ', false, json::error_handler_t::replace) == v.dump(-1, ' ', false, json::error_handler_t::ignore);
}

// ----- checks for text shapes -----

std::string check_non_empty(const std::string& s) { return s.empty() ? "must not be empty" : ""; }

std::string check_node_name(const std::string& s) {
  return is_dns_name(s, 253, true) ? ""
                                   : "must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.'), got " + quote(s);
}

std::string check_absolute_path(const std::string& s) {
  bool ok = s.size() > 1 && s[0] == '/' && s.find_first_of(" \t\r\n") == std::string::npos;
  return ok ? "" : "must be an absolute path such as /kafka-logs-3, got " + quote(s);
}

std::string check_config_lines(const std::string& s) {
  auto props = model::parse_properties(s);
  if (!props)
    return props.error().message();
  return props->empty() ? "must hold at least one key=value line" : "";
}

} // namespace kactor::sim::detail
