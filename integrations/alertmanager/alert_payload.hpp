// Alerts as they arrive at kactor's receiver: Alertmanager's webhook (version 4: an object with
// `alerts[]`), or the bare JSON array of alerts Prometheus posts to an Alertmanager API and Koperator's
// receiver accepts on any path.
//
// parse_alerts takes the body and "now" (RFC 3339, for alerts that carry no status: resolved when their
// endsAt has passed) and returns every alert or an error naming the byte or field at fault
// ("alerts[2].labels: expected an object of strings"). A missing fingerprint is computed from the labels
// as Prometheus does (FNV-1a 64 over sorted names and values, 0xff separators), so both formats
// deduplicate alike. Unknown fields are ignored; nothing throws.
//
// Pure: no I/O, no clock, safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.hpp"

namespace kactor::integrations::alertmanager {

struct alert {
  bool firing = true;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::string starts_at; ///< RFC 3339 as sent
  std::string ends_at;
  std::string fingerprint; ///< 16 lowercase hex digits
  std::string generator_url;
};

/// The fingerprint of a label set, as Prometheus computes model.LabelSet.Fingerprint().
std::string fingerprint_of(const std::map<std::string, std::string>& labels);

model::result<std::vector<alert>> parse_alerts(std::string_view body, const std::string& now_rfc3339);

} // namespace kactor::integrations::alertmanager
