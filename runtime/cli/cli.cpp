#include "runtime/cli/cli.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "runtime/cli/commands.hpp"
#include "runtime/cli/kube_client_flags.hpp"
#include "runtime/cli/run_command.hpp"
#include "runtime/cli/sim_command.hpp"
#include "runtime/cli/scenario_command.hpp"
#include "runtime/logging.hpp"
#include "runtime/version.hpp"

namespace kactor::runtime {

int run_cli(int argc, char** argv) {
  CLI::App app{"kactor: a Kubernetes operator for Apache Kafka, one actor per broker"};
  app.require_subcommand(1);

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "kactor " << version_string << '\n'; });

  std::string validate_file;
  auto* validate = app.add_subcommand("validate", "Check KafkaCluster documents (YAML or JSON) for errors");
  validate->add_option("-f,--filename", validate_file, "File to read, - for stdin")->required();

  render_options render_opts;
  auto* render = app.add_subcommand("render", "Print the Kubernetes objects kactor would create for a KafkaCluster");
  render->add_option("-f,--filename", render_opts.file, "File to read, - for stdin")->required();
  render->add_option("--broker", render_opts.broker, "Only this broker's objects");
  render->add_option("-o,--output", render_opts.output, "yaml or json")->check(CLI::IsMember({"yaml", "json"}));
  render->add_option("-n,--namespace", render_opts.namespace_, "Namespace for documents that name none")
    ->default_val("default");

  sim_options sim_opts;
  auto* sim = app.add_subcommand("sim", "Run the simulated control plane (API server kubectl can use)");
  sim->add_flag("--serve", sim_opts.serve, "Keep running until SIGINT/SIGTERM");
  sim->add_option("--address", sim_opts.address, "Listen address")->default_val("127.0.0.1");
  sim->add_option("--port", sim_opts.port, "Listen port (0: any free port)")->default_val(0);
  sim->add_option("--kubeconfig-out", sim_opts.kubeconfig_out, "Write a kubeconfig for kubectl here");
  sim->add_option("--token", sim_opts.token, "Require this bearer token");
  sim->add_option("--nodes", sim_opts.nodes, "Number of simulated nodes (zones a, b, c in turn)")->default_val(3);
  sim->add_flag("--tls", sim_opts.tls, "Serve HTTPS with a generated self-signed certificate (in the kubeconfig)");
  sim->add_option("--tls-cert", sim_opts.tls_cert, "Serve HTTPS with this PEM certificate");
  sim->add_option("--tls-key", sim_opts.tls_key, "PEM private key for --tls-cert");
  bool no_operator = false;
  sim->add_flag("--no-operator", no_operator, "Run the control plane alone (no KafkaCluster CRD, no operator)");
  sim->add_option("--log-format", sim_opts.log_format, "Log as text or json (one object per line)")->default_val("text");
  sim->add_option("--log-level", sim_opts.log_level, "trace, debug, info, warn, error or off")->default_val("info");
  add_alert_flags(*sim, sim_opts.alerts, "0");
  add_kube_client_flags(*sim, sim_opts.client);
  sim->add_option("--api-latency", sim_opts.api_latency,
                  "The simulated API server's answers: none (at once) or realistic (kube-apiserver's latency, "
                  "Priority and Fairness queues and 429s; docs/simulation.md)")
      ->default_val("none")
      ->check(CLI::IsMember({"none", "realistic"}));
  sim->add_option("--api-max-requests-inflight", sim_opts.api_max_requests_inflight,
                  "With --api-latency realistic: kube-apiserver's --max-requests-inflight")
      ->default_val(400)
      ->check(CLI::Range(1, 100000));
  sim->add_option("--api-max-mutating-requests-inflight", sim_opts.api_max_mutating_requests_inflight,
                  "With --api-latency realistic: kube-apiserver's --max-mutating-requests-inflight")
      ->default_val(200)
      ->check(CLI::Range(0, 100000));
  sim->add_option("--watch-namespace", sim_opts.watch_namespace, "The operator manages KafkaClusters of this namespace only");
  sim->add_option("--operator-serviceaccount", sim_opts.operator_account,
                  "NS/NAME: the operator authenticates as this ServiceAccount (held to RBAC), once it exists");
  scenario_options scenario_opts;
  sim->add_option("-f,--filename", scenario_opts.file, "Run this scenario file (default: the embedded default scenario)");
  sim->add_option("--seed", scenario_opts.seed, "Seed of the random faults (default: the scenario's)");
  sim->add_option("--runs", scenario_opts.runs, "Run N seeds (seed, seed+1, ...) and summarise")->default_val(1);
  sim->add_option("--report", scenario_opts.report_dir, "Write report.json and report.html (an SVG timeline) here");
  sim->add_option("--scale", scenario_opts.scale, "Simulated seconds per wall second (default: the scenario's)");
  // Test-only, hidden: proves each invariant of the checker can fail (model/operator_flaw.hpp names the
  // flaws); --unsafe-roll-for-tests is the older name of --flaw-for-tests roll-two-at-once.
  sim->add_option("--flaw-for-tests", scenario_opts.flaw, "")->group("");
  sim->add_flag("--unsafe-roll-for-tests", scenario_opts.unsafe_roll, "")->group("");

  run_options run_opts;
  auto* run = app.add_subcommand("run", "Run the operator against a Kubernetes API server (in-cluster or --kubeconfig)");
  run->add_option("--kubeconfig", run_opts.kubeconfig, "Path to a kubeconfig (default: $KUBECONFIG, in-cluster, ~/.kube/config)");
  run->add_option("--context", run_opts.context, "kubeconfig context (default: current-context)");
  run->add_option("--namespaces", run_opts.namespaces, "Manage KafkaClusters of these namespaces only, comma-separated (default: all)")
      ->delimiter(',');
  run->add_flag("--enable-leader-election", run_opts.leader_election, "Run only while holding the leader Lease");
  run->add_option("--leader-election-namespace", run_opts.leader_election_namespace,
                  "Namespace of the Lease (default: $POD_NAMESPACE or the service account's)");
  run->add_option("--leader-election-id", run_opts.leader_election_id, "Name of the Lease")->default_val("kactor-leader");
  run->add_option("--metrics-addr", run_opts.metrics_addr, "Serve /metrics here ([host]:port, 0 disables)")->default_val(":8080");
  run->add_option("--health-addr", run_opts.health_addr, "Serve /healthz and /readyz here ([host]:port, 0 disables)")
      ->default_val(":8081");
  add_alert_flags(*run, run_opts.alerts, "127.0.0.1:9001");
  add_kube_client_flags(*run, run_opts.client);
  run->add_option("--cruise-control-endpoint", run_opts.cruise_control_endpoint,
                  "Cruise Control of every cluster (default: the cluster's cruiseControlConfig.cruiseControlEndpoint, "
                  "else http://<cluster>-cruisecontrol-svc.<namespace>.svc:8090)");
  run->add_option("--cruise-control-ca-file", run_opts.cruise_control_ca_file,
                  "PEM CAs that Cruise Control's https certificate must chain to (default: the system's)");
  run->add_option("--cruise-control-cert-file", run_opts.cruise_control_cert_file,
                  "PEM client certificate for Cruise Control (with --cruise-control-key-file)");
  run->add_option("--cruise-control-key-file", run_opts.cruise_control_key_file, "PEM key of that certificate");
  run->add_option("--cruise-control-username", run_opts.cruise_control_username,
                  "Basic-authentication user for Cruise Control (https, or a loopback endpoint)");
  run->add_option("--cruise-control-password-file", run_opts.cruise_control_password_file,
                  "File whose first line is that user's password");
  run->add_flag("--disable-cruise-control", run_opts.disable_cruise_control,
                "Run without Cruise Control (broker and disk removals wait; no CruiseControlOperation CRD needed)");
  run->add_option("--log-format", run_opts.log_format, "Log as text or json (one object per line)")->default_val("text");
  run->add_flag("--verbose", run_opts.verbose, "Log at debug level");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    // CLI11 returns 0 for --help; usage errors are bad input.
    return code == 0 ? 0 : exit_bad_input;
  }
  if (validate->parsed())
    return validate_command(validate_file, std::cout, std::cerr);
  if (render->parsed())
    return render_command(render_opts, std::cout, std::cerr);
  if (run->parsed())
    return run_command(run_opts, std::cout, std::cerr);
  if (sim->parsed()) {
    sim_opts.with_operator = !no_operator;
    if (!sim_opts.serve) {
      if (auto st = configure_logging(sim_opts.log_format, sim_opts.log_level == "info" ? "warn" : sim_opts.log_level); !st.is_ok()) {
        std::cerr << "error: " << st.message() << '\n';
        return exit_bad_input;
      }
      return scenario_command(scenario_opts, std::cout, std::cerr);
    }
    return sim_command(sim_opts, std::cout, std::cerr);
  }
  return 0;
}

} // namespace kactor::runtime
