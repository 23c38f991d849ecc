#include "integrations/cruisecontrol/detail/cc_requests.hpp"

#include <cctype>
#include <charconv>

namespace kactor::integrations::cruisecontrol::detail {

namespace {

using param_list = std::vector<std::pair<std::string, std::string>>;

std::string normalize_path(std::string p) {
  while (!p.empty() && p.back() == '/')
    p.pop_back();
  if (!p.empty() && p.front() != '/')
    p.insert(p.begin(), '/');
  return p;
}

std::string escape(std::string_view v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == '/' || c == ':') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string join_ids(const std::vector<int32_t>& ids) {
  std::string out;
  for (auto id : ids)
    out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

cc_error bad_request(std::string msg) {
  cc_error e;
  e.what = cc_error::kind::bad_request;
  e.message = std::move(msg);
  return e;
}

/// A POST with json=true and dryrun (every operation but stop takes dryrun; CC's default is true, so it
/// is always sent).
cc_request post(std::string endpoint, const operation_options& o) {
  return {"POST", std::move(endpoint), {{"json", "true"}, {"dryrun", o.dry_run ? "true" : "false"}}, o.user_task_id};
}

/// The goal-based operations' common parameters. exclude_* only when set: CC's defaults differ between
/// endpoints and versions, and the caller may want them.
void add_goal_params(param_list& p, const operation_options& o, bool removed_applies = true) {
  p.emplace_back("skip_hard_goal_check", o.skip_hard_goal_check ? "true" : "false");
  if (o.exclude_recently_demoted_brokers)
    p.emplace_back("exclude_recently_demoted_brokers", *o.exclude_recently_demoted_brokers ? "true" : "false");
  if (removed_applies && o.exclude_recently_removed_brokers)
    p.emplace_back("exclude_recently_removed_brokers", *o.exclude_recently_removed_brokers ? "true" : "false");
}

cc_result<cc_request> broker_operation(std::string endpoint, const std::vector<int32_t>& ids,
                                       const operation_options& o) {
  if (ids.empty())
    return bad_request(endpoint + ": no broker id given");
  auto r = post(std::move(endpoint), o);
  r.params.emplace_back("brokerid", join_ids(ids));
  add_goal_params(r.params, o);
  return r;
}

} // namespace

model::result<endpoint_url> parse_endpoint(const std::string& url, const std::string& base_path) {
  endpoint_url out;
  std::string_view rest = url;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    out.tls = true;
    rest.remove_prefix(8);
  } else {
    return model::status::invalid("cruise control endpoint \"" + url + "\": expected http:// or https://");
  }
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string path = slash == std::string_view::npos ? "" : std::string{rest.substr(slash)};
  std::string_view port_text;
  if (authority.starts_with("[")) { // IPv6 literal
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return model::status::invalid("cruise control endpoint \"" + url + "\": unterminated IPv6 address");
    out.host = std::string{authority.substr(1, close - 1)};
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port_text = authority.substr(close + 2);
  } else {
    auto colon = authority.rfind(':');
    out.host = std::string{authority.substr(0, colon)};
    if (colon != std::string_view::npos)
      port_text = authority.substr(colon + 1);
  }
  if (out.host.empty())
    return model::status::invalid("cruise control endpoint \"" + url + "\": no host");
  out.port = out.tls ? 443 : 80;
  if (!port_text.empty()) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || p == 0 || p > 65535)
      return model::status::invalid("cruise control endpoint \"" + url + "\": bad port");
    out.port = uint16_t(p);
  }
  path = normalize_path(path.substr(0, path.find_first_of("?#")));
  out.base_path = path.empty() ? normalize_path(base_path) : path;
  return out;
}

std::string cc_request::target(const std::string& base_path) const {
  std::string t = base_path + "/" + endpoint;
  char sep = '?';
  for (const auto& [k, v] : params) {
    t += sep + escape(k) + "=" + escape(v);
    sep = '&';
  }
  return t;
}

cc_request state_request() {
  return {"GET", "state", {{"json", "true"}, {"substates", "executor,monitor,analyzer,anomaly_detector"}}, {}};
}

cc_request kafka_cluster_state_request() { return {"GET", "kafka_cluster_state", {{"json", "true"}}, {}}; }

// populate_disk_info defaults to false (ClusterLoadParameters): without it CC sends no per-disk figures.
cc_request load_request() { return {"GET", "load", {{"json", "true"}, {"populate_disk_info", "true"}}, {}}; }

cc_request user_tasks_request(const std::vector<std::string>& ids) {
  cc_request r{"GET", "user_tasks", {{"json", "true"}, {"fetch_completed_task", "true"}}, {}};
  std::string joined;
  for (const auto& id : ids)
    joined += (joined.empty() ? "" : ",") + id;
  if (!joined.empty())
    r.params.emplace_back("user_task_ids", joined);
  return r;
}

cc_result<cc_request> add_broker_request(const std::vector<int32_t>& ids, const operation_options& o) {
  return broker_operation("add_broker", ids, o);
}

cc_result<cc_request> remove_broker_request(const std::vector<int32_t>& ids, const operation_options& o) {
  return broker_operation("remove_broker", ids, o);
}

cc_result<cc_request> rebalance_request(const std::vector<int32_t>& destination_ids, bool rebalance_disk,
                                        const operation_options& o) {
  auto r = post("rebalance", o);
  if (!destination_ids.empty())
    r.params.emplace_back("destination_broker_ids", join_ids(destination_ids));
  r.params.emplace_back("rebalance_disk", rebalance_disk ? "true" : "false");
  add_goal_params(r.params, o);
  return r;
}

cc_result<cc_request> remove_disks_request(const std::map<int32_t, std::vector<std::string>>& dirs,
                                           const operation_options& o) {
  std::string value;
  for (const auto& [id, list] : dirs)
    for (const auto& dir : list) {
      // CC splits the value on ',' and each pair on the first '-': a ',' cannot be expressed.
      if (dir.empty() || dir.find(',') != std::string::npos)
        return bad_request("remove_disks: broker " + std::to_string(id) + ": log dir \"" + dir + "\" cannot be sent");
      value += (value.empty() ? "" : ",") + std::to_string(id) + "-" + dir;
    }
  if (value.empty())
    return bad_request("remove_disks: no log dir given");
  auto r = post("remove_disks", o);
  r.params.emplace_back("brokerid_and_logdirs", value);
  return r;
}

cc_result<cc_request> demote_broker_request(const std::vector<int32_t>& ids, const operation_options& o) {
  if (ids.empty())
    return bad_request("demote_broker: no broker id given");
  auto r = post("demote_broker", o);
  r.params.emplace_back("brokerid", join_ids(ids));
  // demote_broker knows exclude_recently_demoted_brokers only: CC refuses parameters an endpoint lacks.
  if (o.exclude_recently_demoted_brokers)
    r.params.emplace_back("exclude_recently_demoted_brokers", *o.exclude_recently_demoted_brokers ? "true" : "false");
  return r;
}

cc_request stop_proposal_execution_request() {
  // No dryrun here: stop_proposal_execution does not take it, and CC refuses unknown parameters.
  return {"POST", "stop_proposal_execution", {{"json", "true"}}, {}};
}

std::string base64(std::string_view in) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
    for (int s : {18, 12, 6, 0})
      out += table[(n >> s) & 63];
  }
  if (size_t left = in.size() - i; left > 0) {
    uint32_t n = uint32_t(uint8_t(in[i])) << 16;
    if (left == 2)
      n |= uint32_t(uint8_t(in[i + 1])) << 8;
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += left == 2 ? table[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

} // namespace kactor::integrations::cruisecontrol::detail
