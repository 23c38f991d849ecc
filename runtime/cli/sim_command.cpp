#include "runtime/cli/sim_command.hpp"

#include <csignal>
#include <unistd.h>
#include <fstream>
#include <ostream>

#include "integrations/http/tls_cert.hpp"
#include "sim/world/control_plane.hpp"

#include <cstdlib>
#include <filesystem>
#include "runtime/cli/commands.hpp"
#include "runtime/cli/listen_address.hpp"
#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "runtime/logging.hpp"
#include "runtime/operator_runtime.hpp"

namespace kactor::runtime {

namespace {

/// A client configuration for the simulated API server: the admin's (--token) unless `token` is given.
model::result<integrations::kubernetes::client_config> sim_client_config(sim::control_plane& plane,
                                                                         const std::optional<std::string>& token,
                                                                         const std::string& ca_file) {
  namespace k8s = integrations::kubernetes;
  k8s::client_config config;
  config.server = plane.api().url();
  config.source = "kactor sim";
  if (auto st = k8s::parse_server_url(config.server, config.endpoint); !st.is_ok())
    return st;
  if (token)
    config.token = *token;
  if (config.endpoint.tls.enabled) {
    std::ifstream in(ca_file);
    config.endpoint.tls.ca_pem.assign(std::istreambuf_iterator<char>(in), {});
  }
  return config;
}

/// Installs the KafkaCluster and CruiseControlOperation CRDs as the admin.
model::status install_crds(sim::control_plane& plane, const sim_options& opts, const std::string& ca_file) {
  namespace k8s = integrations::kubernetes;
  auto config = sim_client_config(plane, opts.token, ca_file);
  if (!config)
    return config.error();
  auto client = k8s::kube_client::make(*config);
  if (!client)
    return client.error();
  auto crd = (*client)->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
                                    "", k8s::kafkacluster_crd());
  auto cco = (*client)->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
                                    "", k8s::cruisecontroloperation_crd());
  (*client)->stop();
  if (!crd.is_ok() && !crd.is(k8s::api_error_kind::already_exists))
    return model::status::invalid("installing the KafkaCluster CRD: " + crd.error().to_string());
  if (!cco.is_ok() && !cco.is(k8s::api_error_kind::already_exists))
    return model::status::invalid("installing the CruiseControlOperation CRD: " + cco.error().to_string());
  return model::status::ok();
}

/// Starts the operator against the simulated API server, authenticated with `token` (the admin's when
/// nullopt).
model::result<std::unique_ptr<operator_runtime>> start_operator(sim::control_plane& plane, const sim_options& opts,
                                                               const std::optional<std::string>& token,
                                                               const std::string& ca_file) {
  auto config = sim_client_config(plane, token, ca_file);
  if (!config)
    return config.error();
  operator_options oo;
  oo.client = opts.client;
  oo.watch_namespace = opts.watch_namespace;
  oo.kafka_admins = plane.kafka().admin_factory();
  oo.cruise_controls = plane.cruise_control_factory();
  oo.settings.cc_poll = std::chrono::milliseconds{500};
  oo.settings.cc_retry_base = std::chrono::seconds{2};
  oo.settings.kafka_poll = std::chrono::milliseconds{200};
  auto ro = receiver_options_of(opts.alerts);
  if (!ro.is_ok())
    return ro.error();
  if (ro.value()) {
    oo.alerts = ro.value();
    oo.settings.alert_cooldown = std::chrono::seconds{5}; // simulated time runs short
    oo.settings.alert_recheck = std::chrono::milliseconds{1000};
  }
  return operator_runtime::start(*config, oo);
}

/// With --operator-serviceaccount: the operator starts as that ServiceAccount once it exists (a user
/// applies deploy/rbac.yaml after the server is up), so that every request it makes is held to RBAC.
/// Returns the signal that arrived meanwhile (0: none, the operator started or failed to).
int start_operator_as_account(sim::control_plane& plane, const sim_options& opts, const std::string& ca_file,
                              const sigset_t& signals, std::unique_ptr<operator_runtime>& op, std::ostream& out,
                              std::ostream& err) {
  auto slash = opts.operator_account.find('/');
  auto ns = opts.operator_account.substr(0, slash), name = opts.operator_account.substr(slash + 1);
  timespec tick{0, 100 * 1000 * 1000};
  for (;;) {
    if (int sig = sigtimedwait(&signals, nullptr, &tick); sig == SIGINT || sig == SIGTERM)
      return sig;
    auto token = plane.api().service_account_token(ns, name);
    if (token.empty())
      continue;
    auto started = start_operator(plane, opts, token, ca_file);
    if (!started) {
      err << "error: cannot start the operator as " << opts.operator_account << ": " << started.error().message() << '\n';
      return 0;
    }
    op = std::move(*started);
    out << "kactor sim: operator running as system:serviceaccount:" << ns << ':' << name << '\n';
    out.flush();
    return 0;
  }
}

} // namespace

int sim_command(const sim_options& opts, std::ostream& out, std::ostream& err) {
  if (auto st = configure_logging(opts.log_format, opts.log_level); !st.is_ok()) {
    err << "error: " << st.message() << '\n';
    return exit_bad_input;
  }
  if (!opts.operator_account.empty() && (opts.operator_account.find('/') == std::string::npos || opts.operator_account.front() == '/'
                                         || opts.operator_account.back() == '/')) {
    err << "error: --operator-serviceaccount takes NAMESPACE/NAME\n";
    return exit_bad_input;
  }
  if (opts.tls_cert.empty() != opts.tls_key.empty()) {
    err << "error: --tls-cert and --tls-key go together\n";
    return exit_bad_input;
  }
  // Block the signals before the server's threads start, so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  sim::control_plane_options cp_opts;
  auto& server_opts = cp_opts.api;
  if (opts.nodes < 1 || opts.nodes > 1000) {
    err << "error: --nodes must be between 1 and 1000\n";
    return exit_bad_input;
  }
  if (auto alerts = receiver_options_of(opts.alerts); !alerts.is_ok()) { // as `kactor run`: before anything starts
    err << "error: " << alerts.error().message() << '\n';
    return exit_bad_input;
  }
  cp_opts.kubelet.nodes.clear();
  for (int i = 1; i <= opts.nodes; ++i)
    cp_opts.kubelet.nodes.push_back({"node-" + std::to_string(i), std::string{"zone-"} + static_cast<char>('a' + (i - 1) % 3)});
  server_opts.load.enabled = opts.api_latency == "realistic";
  server_opts.load.max_requests_inflight = opts.api_max_requests_inflight;
  server_opts.load.max_mutating_requests_inflight = opts.api_max_mutating_requests_inflight;
  server_opts.address = opts.address;
  server_opts.port = opts.port;
  server_opts.token = opts.token;
  std::string ca_file = opts.tls_cert;
  if (!opts.tls_cert.empty()) {
    server_opts.tls = integrations::http::tls_files{opts.tls_cert, opts.tls_key};
  } else if (opts.tls) {
    auto dir = opts.kubeconfig_out.empty()
                 ? std::filesystem::temp_directory_path() / ("kactor-sim-tls-" + std::to_string(::getpid()))
                 : std::filesystem::absolute(opts.kubeconfig_out).parent_path();
    std::filesystem::create_directories(dir);
    auto files = integrations::http::write_self_signed_cert(dir.string(), {opts.address, "localhost"});
    if (!files) {
      err << "error: " << files.error().message() << '\n';
      return 1;
    }
    server_opts.tls = *files;
    ca_file = files->cert_file;
  }
  auto plane = sim::control_plane::start(cp_opts);
  if (!plane) {
    err << "error: cannot start the simulated control plane: " << plane.error().message() << '\n';
    return 1;
  }
  auto* server = &(*plane)->api();
  std::unique_ptr<operator_runtime> op;
  if (opts.with_operator) {
    if (auto st = install_crds(**plane, opts, ca_file); !st.is_ok()) {
      err << "error: cannot start the operator: " << st.message() << '\n';
      (*plane)->stop();
      return 1;
    }
  }
  if (opts.with_operator && opts.operator_account.empty()) {
    auto started = start_operator(**plane, opts, opts.token, ca_file);
    if (!started) {
      err << "error: cannot start the operator: " << started.error().message() << '\n';
      (*plane)->stop();
      return 1;
    }
    op = std::move(*started);
  }
  out << "kactor sim: API server at " << server->url() << (op ? " (operator running)" : "") << '\n';
  out << "kactor sim: simulated brokers' metrics at " << (*plane)->metrics_url() << '\n';
  if (op && op->alerts_port())
    out << "kactor sim: receiving alerts on port " << op->alerts_port() << '\n';
  if (!opts.kubeconfig_out.empty())
    out << "kactor sim: kubectl --kubeconfig " << opts.kubeconfig_out << " get pods -A\n";
  out.flush();
  // The kubeconfig is the "ready" signal scripts wait for: written last (after the operator is up and the
  // lines above are out), to a temporary name and renamed, so a watcher never reads half a file.
  if (!opts.kubeconfig_out.empty()) {
    auto tmp = opts.kubeconfig_out + ".tmp";
    std::ofstream{tmp} << server->kubeconfig(ca_file);
    std::rename(tmp.c_str(), opts.kubeconfig_out.c_str());
  }
  int sig = 0;
  if (opts.with_operator && !opts.operator_account.empty())
    sig = start_operator_as_account(**plane, opts, ca_file, signals, op, out, err);
  if (sig == 0)
    sigwait(&signals, &sig);
  out << "kactor sim: stopping on " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << '\n';
  if (op)
    op->stop();
  (*plane)->stop();
  return 0;
}

} // namespace kactor::runtime
