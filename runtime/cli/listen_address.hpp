// Listen addresses as operators write them in flags: ":8080" (every interface), "127.0.0.1:0" (loopback,
// any free port). Errors name the flag.
#pragma once

#include <string>

#include "integrations/http/server.hpp"
#include "model/status.hpp"

namespace kactor::runtime {

model::result<integrations::http::server_options> listen_address(const std::string& flag, const std::string& addr);

} // namespace kactor::runtime
