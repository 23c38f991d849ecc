#include "integrations/http/address.hpp"

#include <arpa/inet.h>

namespace kactor::integrations::http {

bool is_loopback(const std::string& address) {
  if (address == "localhost")
    return true;
  std::string host = address;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  // IP literals only: a DNS name such as "127.example.com" may resolve anywhere.
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

} // namespace kactor::integrations::http
