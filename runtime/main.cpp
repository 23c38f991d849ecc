// kactor's entry point: everything happens in the CLI.
#include <exception>
#include <iostream>

#include "runtime/cli/cli.hpp"

int main(int argc, char** argv) {
  try {
    return kactor::runtime::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kactor: unexpected error: " << e.what() << '\n';
    return 1;
  }
}
