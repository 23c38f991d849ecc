// How a Cruise Control call fails: cc_error (a kind the caller branches on, plus a message naming the
// endpoint and the reason) and cc_result<T> (a value or a cc_error), in the style of the Kafka admin port's
// admin_error/admin_result. Plain data: Beast-, nlohmann- and CAF-free.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kactor::integrations::cruisecontrol {

/// Why a Cruise Control call failed.
struct cc_error {
  enum class kind {
    unavailable,  ///< no HTTP answer: refused, reset, TLS failure, timed out, client stopped; or 502/504
    not_ready,    ///< CC has too little load data yet (NotEnoughValidWindowsException) or still computes
    busy,         ///< CC refuses more work now: max active user tasks, an ongoing execution, 429/503
    bad_request,  ///< the request cannot succeed as sent: 400/401/403/404, unknown broker, bad goals
    not_found,    ///< CC does not know the user task (restarted, evicted, never existed)
    server_error, ///< any other failure CC reports (500 with errorMessage)
    decode,       ///< an answer that is not what CC promises (bad JSON, wrong types); names the field
  };
  kind what = kind::server_error;
  std::string message;
  int http_status = 0; ///< 0 when there was no HTTP answer

  std::string to_string() const; ///< "not ready: rebalance at http://cc:8090/kafkacruisecontrol: ..."
};

/// "unavailable", "not ready", "busy", "bad request", "not found", "server error", "decode".
const char* to_string(cc_error::kind k);

/// A value or the error explaining why there is none.
template <class T>
class cc_result {
public:
  cc_result(T value) : data_(std::move(value)) {}
  cc_result(cc_error err) : data_(std::move(err)) {}
  bool is_ok() const { return data_.index() == 0; }
  bool is(cc_error::kind k) const { return !is_ok() && error().what == k; }
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  const cc_error& error() const { return std::get<1>(data_); }

private:
  std::variant<T, cc_error> data_;
};

} // namespace kactor::integrations::cruisecontrol
