// The kactor command line: parses arguments with CLI11 and runs one subcommand.
//
// Subcommands: version, validate -f FILE, render -f FILE [--broker ID] [-o yaml|json] [--namespace NS].
// Exit codes: 0 success, 2 bad input (unreadable file, syntax error, invalid KafkaCluster: nothing is
// written to stdout then), 1 unexpected failure. Results go to stdout, diagnostics to stderr.
#pragma once

namespace kactor::runtime {

/// Runs the command line; returns the process exit code.
int run_cli(int argc, char** argv);

} // namespace kactor::runtime
