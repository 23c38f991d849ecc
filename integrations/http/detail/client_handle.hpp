// What callers of make_async_client hold (async_client.cpp). Beast-free.
#pragma once

#include <memory>

#include "integrations/http/async_client.hpp"

namespace kactor::integrations::http::detail {

/// Wraps the client's implementation: dropping the handle stops the client (operations keep the
/// implementation alive meanwhile); every other call is passed on.
std::shared_ptr<async_client> make_client_handle(std::shared_ptr<async_client> impl);

} // namespace kactor::integrations::http::detail
