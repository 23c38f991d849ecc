// kactor's entry point: everything happens in the CLI.
#include <cstdlib>
#include <exception>
#include <iostream>

#include <malloc.h>

#include "runtime/cli/cli.hpp"

int main(int argc, char** argv) {
  // Two malloc arenas, not glibc's 8 per core: the client's I/O threads and the actor threads otherwise
  // each keep freed memory in an arena of their own (100 × 30 brokers: 155 → 132 MiB peak RSS). The
  // environment's MALLOC_ARENA_MAX, when set, wins.
  if (!std::getenv("MALLOC_ARENA_MAX"))
    mallopt(M_ARENA_MAX, 2);
  // Large blocks (list pages, watch bursts) straight from and back to the kernel: glibc's sliding mmap
  // threshold otherwise moves them into the heap after the first is freed, where they fragment it.
  if (!std::getenv("MALLOC_MMAP_THRESHOLD_"))
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  try {
    return kactor::runtime::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kactor: unexpected error: " << e.what() << '\n';
    return 1;
  }
}
