// RFC 3339 timestamps as the Kubernetes API writes them, formatted and parsed without reading a clock.
//
// format_rfc3339 writes UTC with whole seconds ("2026-03-01T10:15:30Z", metav1.Time);
// format_rfc3339_micro writes microseconds ("2026-03-01T10:15:30.123456Z", metav1.MicroTime, Leases).
// rfc3339_seconds reads the date and time of day of a UTC timestamp and ignores fractions and the zone
// suffix; it returns -1 for text that does not start with "YYYY-MM-DDTHH:MM:SS". Years 0000–9999.
// seconds_text writes a duration for people ("300 s", "1.5 s", "0.05 s"): a message that quotes a
// timeout must not round a sub-second one (the simulation scales timeouts below a second) down to "0 s".
// The caller reads the clock (actors/clock.hpp for actors and runtime; integrations read their own) and
// passes the time in.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace kactor::model {

/// "YYYY-MM-DDTHH:MM:SSZ" for `epoch_seconds` seconds since 1970-01-01T00:00:00Z.
std::string format_rfc3339(int64_t epoch_seconds);

/// The same for a system-clock time point, truncated to whole seconds (towards the past).
template <class Duration>
std::string format_rfc3339(std::chrono::sys_time<Duration> t) {
  return format_rfc3339(std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
}

/// "YYYY-MM-DDTHH:MM:SS.ffffffZ" for `epoch_micros` microseconds since the epoch.
std::string format_rfc3339_micro(int64_t epoch_micros);

/// The same for a system-clock time point, truncated to whole microseconds.
template <class Duration>
std::string format_rfc3339_micro(std::chrono::sys_time<Duration> t) {
  return format_rfc3339_micro(std::chrono::floor<std::chrono::microseconds>(t).time_since_epoch().count());
}

/// Seconds since the epoch of an RFC 3339 UTC time ("2026-03-01T10:15:30Z", fractions ignored); -1 if bad.
int64_t rfc3339_seconds(const std::string& t);

/// A duration in seconds for messages: whole seconds bare, otherwise up to three decimals, no trailing zeros.
std::string seconds_text(std::chrono::milliseconds d);

} // namespace kactor::model
