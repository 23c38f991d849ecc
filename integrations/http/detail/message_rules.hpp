// Beast-free rules of the HTTP server (server.cpp) for requests in and responses out.
#pragma once

#include <string>

#include "integrations/http/server.hpp"

namespace kactor::integrations::http::detail {

/// Adds one received header field under its lowercased name; a repeated field becomes one comma-separated
/// list (RFC 9110 5.3).
void add_header(header_map& headers, std::string name, std::string value);

/// The status a handler asked for, or 500 when it is not one a response can carry (200–599).
unsigned to_status(int status);

} // namespace kactor::integrations::http::detail
