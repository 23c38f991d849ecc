// What the Cruise Control client sends, decided without I/O: the endpoint URL taken apart, and for each
// call its method, endpoint and query parameters (in the order sent). Separate from the client so tests
// check the parameters directly.
//
// Pure: no I/O, no clock; never throws; safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "integrations/cruisecontrol/api.hpp"
#include "model/status.hpp"

namespace kactor::integrations::cruisecontrol::detail {

/// An endpoint URL taken apart.
struct endpoint_url {
  bool tls = false;
  std::string host;
  uint16_t port = 0;
  std::string base_path; ///< "/kafkacruisecontrol": a leading '/', no trailing one ("" for the root)
};

/// "http[s]://host[:port][/path]" (IPv6 as "[::1]"); the URL's path, when not empty or "/", replaces
/// `base_path`. invalid naming the problem for another scheme, an empty host, a bad port.
model::result<endpoint_url> parse_endpoint(const std::string& url, const std::string& base_path);

/// One request to CC before it meets the transport.
struct cc_request {
  std::string method;   ///< "GET" or "POST"
  std::string endpoint; ///< "state", "add_broker", ...
  std::vector<std::pair<std::string, std::string>> params; ///< unescaped, in the order sent
  std::string user_task_id; ///< sent as the User-Task-ID header when not empty

  /// "<base_path>/<endpoint>?k=v&..." with values percent-encoded (',' '/' ':' '-' kept: CC splits on
  /// ',' and log dirs are paths).
  std::string target(const std::string& base_path) const;
};

cc_request state_request();
cc_request kafka_cluster_state_request();
cc_request load_request();
cc_request user_tasks_request(const std::vector<std::string>& ids);
/// The operations; bad_request when there is nothing to act on (no broker id, no log dir) or a log dir
/// cannot be written in brokerid_and_logdirs (a ',' in it).
cc_result<cc_request> add_broker_request(const std::vector<int32_t>& ids, const operation_options& o);
cc_result<cc_request> remove_broker_request(const std::vector<int32_t>& ids, const operation_options& o);
cc_result<cc_request> rebalance_request(const std::vector<int32_t>& destination_ids, bool rebalance_disk,
                                        const operation_options& o);
cc_result<cc_request> remove_disks_request(const std::map<int32_t, std::vector<std::string>>& dirs,
                                           const operation_options& o);
cc_result<cc_request> demote_broker_request(const std::vector<int32_t>& ids, const operation_options& o);
cc_request stop_proposal_execution_request();

/// Standard base64 with padding (for the basic-auth header).
std::string base64(std::string_view in);

} // namespace kactor::integrations::cruisecontrol::detail
