// Compiled with include/ as the only include directory and no library: the public headers stand alone
// (standard library only, no CAF, Beast, JSON or internal headers).
#include <kactor/runtime.hpp>
#include <kactor/kafka_admin.hpp>

int kactor_public_headers_compile() {
  kactor::api::runtime_options o;
  return o.threads;
}
