#include "model/time.hpp"

#include <cstdio>

namespace kactor::model {

namespace {

// Civil date ↔ days since the epoch: Howard Hinnant's algorithms (proleptic Gregorian calendar).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct civil {
  int64_t y, m, d;
};

civil civil_from_days(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2), m, d};
}

/// "YYYY-MM-DDTHH:MM:SS" (no zone).
std::string date_time(int64_t s) {
  int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  int64_t sod = s - days * 86400;
  auto c = civil_from_days(days);
  char buf[128]; // room for any int64 field: no truncation warning
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", static_cast<long long>(c.y),
                static_cast<long long>(c.m), static_cast<long long>(c.d), static_cast<long long>(sod / 3600),
                static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60));
  return buf;
}

} // namespace

std::string format_rfc3339(int64_t epoch_seconds) {
  return date_time(epoch_seconds) + "Z";
}

std::string format_rfc3339_micro(int64_t epoch_micros) {
  int64_t secs = epoch_micros >= 0 ? epoch_micros / 1000000 : -((-epoch_micros + 999999) / 1000000);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(epoch_micros - secs * 1000000));
  return date_time(secs) + frac;
}

int64_t rfc3339_seconds(const std::string& t) {
  int y, mo, d, h, mi, s;
  if (t.size() < 19 || std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return -1;
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

std::string seconds_text(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  std::string sign = ms < 0 ? "-" : "";
  uint64_t abs_ms = ms < 0 ? uint64_t(0) - uint64_t(ms) : uint64_t(ms);
  std::string text = sign + std::to_string(abs_ms / 1000);
  if (uint64_t frac = abs_ms % 1000) {
    std::string digits = std::to_string(1000 + frac).substr(1); // three digits, leading zeros kept
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text + " s";
}

} // namespace kactor::model
