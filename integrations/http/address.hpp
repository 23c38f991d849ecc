// Host names and addresses as the listeners and clients judge them.
#pragma once

#include <string>

namespace kactor::integrations::http {

/// True for 127.0.0.0/8, ::1 and "localhost": addresses no other machine can reach (a listener there needs
/// no authentication; a client sends credentials there in clear without crossing a network).
bool is_loopback(const std::string& address);

} // namespace kactor::integrations::http
