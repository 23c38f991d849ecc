#include "runtime/cli/run_command.hpp"

#include <atomic>
#include <csignal>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <ostream>
#include <random>

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "integrations/cruisecontrol/cc_client.hpp"
#include "integrations/http/server.hpp"
#include "integrations/kafka/rdkafka_admin.hpp"
#include "integrations/kubernetes/leader_election.hpp"
#include "runtime/cli/commands.hpp"
#include "runtime/cli/listen_address.hpp"
#include "runtime/logging.hpp"
#include "runtime/operator_runtime.hpp"

namespace kactor::runtime {

namespace {

namespace k8s = integrations::kubernetes;
namespace http = integrations::http;

std::string lease_namespace(const run_options& opts) {
  if (!opts.leader_election_namespace.empty())
    return opts.leader_election_namespace;
  if (const char* ns = std::getenv("POD_NAMESPACE"); ns && *ns)
    return ns;
  std::ifstream in("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
  std::string ns;
  if (in >> ns)
    return ns;
  return "default";
}

std::string identity() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::random_device rd;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%08x", rd());
  return std::string{host} + "_" + suffix;
}

/// The process's state as the HTTP handlers see it.
struct shared_state {
  std::mutex mutex;
  std::unique_ptr<operator_runtime> op; ///< while leading (or always without leader election)
  bool standing_by = false;             ///< waiting for the Lease
  std::shared_ptr<k8s::kube_client> election_client;
};

void serve(http::exchange& ex, shared_state& s) {
  const auto& target = ex.req().target;
  auto path = target.substr(0, target.find('?'));
  if (path == "/healthz" || path == "/livez") {
    std::lock_guard lock(s.mutex);
    if (s.op)
      if (auto h = s.op->health(); !h.is_ok()) // a top-level actor gone for good: let the kubelet restart us
        return ex.respond({503, {{"Content-Type", "text/plain"}}, "unhealthy: " + h.message() + "\n"});
    return ex.respond({200, {{"Content-Type", "text/plain"}}, "ok\n"});
  }
  if (path == "/readyz") {
    std::lock_guard lock(s.mutex);
    if (s.op)
      return ex.respond({200, {{"Content-Type", "text/plain"}}, "ok\n"});
    if (s.standing_by)
      return ex.respond({200, {{"Content-Type", "text/plain"}}, "ok: standing by for the leader Lease\n"});
    return ex.respond({503, {{"Content-Type", "text/plain"}}, "caches not synced yet\n"});
  }
  if (path == "/metrics") {
    std::string text;
    {
      std::lock_guard lock(s.mutex);
      if (s.op)
        text = s.op->kube().metrics->prometheus_text() + s.op->metrics().to_prometheus()
               + "# HELP kactor_alerts_received_total Alerts received by the alert receiver\n"
                 "# TYPE kactor_alerts_received_total counter\nkactor_alerts_received_total "
               + std::to_string(s.op->alerts_received()) + "\n";
      else
        text = actors::actor_metrics{}.prometheus_text();
      if (s.election_client)
        text += "# HELP kactor_leader Whether this process holds the leader Lease\n# TYPE kactor_leader gauge\n"
                "kactor_leader " + std::string(s.op ? "1" : "0") + "\n";
    }
    return ex.respond({200, {{"Content-Type", "text/plain; version=0.0.4"}}, std::move(text)});
  }
  ex.respond({404, {{"Content-Type", "text/plain"}}, "not found: " + path + "\n"});
}

integrations::kafka::admin_factory rdkafka_admins() {
  return [](const integrations::kafka::cluster_address& a) -> std::shared_ptr<integrations::kafka::kafka_admin> {
    integrations::kafka::rdkafka_admin_options o;
    o.bootstrap_servers = a.bootstrap_servers;
    auto admin = integrations::kafka::make_rdkafka_admin(o);
    if (!admin.is_ok()) {
      spdlog::error("Kafka admin for {}/{}: {}", a.namespace_, a.name, admin.error().to_string());
      return nullptr;
    }
    return admin.value();
  };
}

/// The --metrics-addr and --health-addr listeners (one when both name the same address); nullopt after
/// printing why when an address is invalid.
std::optional<std::vector<http::server_options>> parse_listeners(const run_options& opts, std::ostream& err) {
  std::vector<http::server_options> listeners;
  for (const auto& [flag, addr] : {std::pair{"--metrics-addr", opts.metrics_addr}, std::pair{"--health-addr", opts.health_addr}}) {
    if (addr == "0" || (flag == std::string{"--health-addr"} && addr == opts.metrics_addr))
      continue; // disabled, or one listener serves both
    auto o = listen_address(flag, addr);
    if (!o.is_ok()) {
      err << "error: " << o.error().message() << '\n';
      return std::nullopt;
    }
    listeners.push_back(o.value());
  }
  return listeners;
}

/// Blocks SIGINT and SIGTERM in this thread (and so in every thread started after) and returns them, for
/// sigtimedwait alone to receive.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

/// /metrics, /healthz and /readyz on every listener; nullopt after printing why when one cannot listen.
std::optional<std::vector<std::unique_ptr<http::server>>> start_servers(const std::vector<http::server_options>& listeners,
                                                                        const std::shared_ptr<shared_state>& state,
                                                                        std::ostream& out, std::ostream& err) {
  std::vector<std::unique_ptr<http::server>> servers;
  for (const auto& l : listeners) {
    auto s = http::make_server(l, [state](std::shared_ptr<http::exchange> ex) { serve(*ex, *state); });
    if (!s.is_ok()) {
      err << "error: cannot listen on " << l.address << ":" << l.port << ": " << s.error().message() << '\n';
      return std::nullopt;
    }
    out << "kactor run: serving /metrics, /healthz, /readyz on " << l.address << ":" << s.value()->port() << '\n';
    servers.push_back(std::move(s.value()));
  }
  out.flush();
  return servers;
}

/// The alert receiver of the --alerts-* flags into `oo`; 0, or exit_bad_input after printing why.
int add_alert_receiver(const run_options& opts, operator_options& oo, std::ostream& err) {
  auto ro = receiver_options_of(opts.alerts);
  if (!ro.is_ok()) {
    err << "error: " << ro.error().message() << '\n';
    return exit_bad_input;
  }
  oo.alerts = ro.value();
  return 0;
}

/// The --cruise-control-* flags as the clients' base options, checked (with --cruise-control-endpoint, a
/// client is made and dropped); nullopt after printing which flag is wrong. Messages name files and flags,
/// never their content.
std::optional<integrations::cruisecontrol::client_options> cruise_control_options(const run_options& opts,
                                                                                 std::ostream& err) {
  integrations::cruisecontrol::client_options o;
  auto read = [&err](const char* flag, const std::string& path, std::string& into) {
    if (path.empty())
      return true;
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) {
      err << "error: " << flag << ": " << path << ": cannot open\n";
      return false;
    }
    std::string text{std::istreambuf_iterator<char>(in), {}};
    if (in.bad() || text.empty()) {
      err << "error: " << flag << ": " << path << (text.empty() ? " is empty" : ": cannot read") << '\n';
      return false;
    }
    into = std::move(text);
    return true;
  };
  if (!read("--cruise-control-ca-file", opts.cruise_control_ca_file, o.ca_pem)
      || !read("--cruise-control-cert-file", opts.cruise_control_cert_file, o.client_cert_pem)
      || !read("--cruise-control-key-file", opts.cruise_control_key_file, o.client_key_pem)
      || !read("--cruise-control-password-file", opts.cruise_control_password_file, o.password))
    return std::nullopt;
  o.password = o.password.substr(0, o.password.find_first_of("\r\n")); // the first line
  if (o.client_cert_pem.empty() != o.client_key_pem.empty()) {
    err << "error: --cruise-control-cert-file and --cruise-control-key-file go together\n";
    return std::nullopt;
  }
  o.username = opts.cruise_control_username;
  if (o.username.empty() != o.password.empty()) {
    err << "error: --cruise-control-username and --cruise-control-password-file go together (and the password "
           "must not be empty)\n";
    return std::nullopt;
  }
  if (!o.password.empty() && opts.cruise_control_endpoint.empty()) {
    err << "error: --cruise-control-username needs --cruise-control-endpoint: the password is sent only there, never "
           "to an endpoint a KafkaCluster's spec names\n";
    return std::nullopt;
  }
  if (!opts.cruise_control_endpoint.empty()) {
    auto probe = o;
    probe.endpoint = opts.cruise_control_endpoint;
    if (auto c = integrations::cruisecontrol::make_cruise_control_client(probe); !c.is_ok()) {
      err << "error: --cruise-control-endpoint: " << c.error().message() << '\n';
      return std::nullopt;
    }
  }
  return o;
}

/// The operator's options and ports: namespaces, the alert receiver, librdkafka's Kafka admins, the Cruise
/// Control clients; 0, or exit_bad_input after printing why.
int build_ports(const run_options& opts, operator_options& oo, std::ostream& err) {
  // One namespace: the caches watch it alone. Several: a cache per namespace (operator_runtime), so RoleBindings in each suffice.
  if (opts.namespaces.size() == 1)
    oo.watch_namespace = opts.namespaces.front();
  else
    oo.namespaces = opts.namespaces;
  if (auto code = add_alert_receiver(opts, oo, err); code != 0)
    return code;
  oo.client = opts.client;
  oo.kafka_admins = rdkafka_admins();
  oo.settings.deploy_cruise_control = !opts.disable_cruise_control && opts.cruise_control_endpoint.empty();
  if (!opts.disable_cruise_control) {
    auto base = cruise_control_options(opts, err);
    if (!base)
      return exit_bad_input;
    oo.cruise_controls = integrations::cruisecontrol::make_cruise_control_factory(*base, opts.cruise_control_endpoint);
  }
  return 0;
}

/// Takes part in leader election on the Lease (--leader-election): `lead` and `lost` follow it, the state
/// stands by. 0, 1 when no client can be made, exit_bad_input when the election cannot start.
int start_election(const run_options& opts, const k8s::client_config& config, std::atomic<bool>& lead,
                   std::atomic<bool>& lost, shared_state& state, std::shared_ptr<k8s::leader_elector>& elector,
                   std::ostream& err) {
  auto client = k8s::kube_client::make(config);
  if (!client.is_ok()) {
    err << "error: " << client.error().message() << '\n';
    return 1;
  }
  k8s::leader_election_options lo;
  lo.namespace_ = lease_namespace(opts);
  lo.name = opts.leader_election_id;
  lo.identity = identity();
  auto started = k8s::leader_elector::start(client.value(), lo,
                                            {[&lead] { lead = true; }, [&lost] { lost = true; },
                                             [](const std::string& holder) { spdlog::info("leader is now {}", holder); }});
  if (!started.is_ok()) {
    err << "error: leader election: " << started.error().message() << '\n';
    return exit_bad_input;
  }
  elector = started.value();
  std::lock_guard lock(state.mutex);
  state.standing_by = true;
  state.election_client = client.value();
  spdlog::info("leader election: waiting for Lease {}/{} as {}", lo.namespace_, lo.name, lo.identity);
  return 0;
}

/// Runs the operator while leading until SIGINT/SIGTERM (0) or until the Lease is lost or the operator
/// cannot start (1).
int serve_until_signal(const sigset_t& signals, shared_state& state, const k8s::client_config& config,
                       const operator_options& oo, const std::atomic<bool>& lead, const std::atomic<bool>& lost,
                       std::ostream& out) {
  timespec tick{0, 100 * 1000 * 1000};
  for (;;) {
    int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      spdlog::info("stopping on {}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      return 0;
    }
    bool running;
    {
      std::lock_guard lock(state.mutex);
      running = state.op != nullptr;
    }
    if (lost) {
      spdlog::error("leader election lost: exiting so that a clean process takes over");
      return 1;
    }
    if (lead && !running) {
      spdlog::info("starting the operator");
      auto op = operator_runtime::start(config, oo);
      if (!op.is_ok()) {
        spdlog::error("cannot start the operator: {}", op.error().message());
        return 1;
      }
      if (oo.alerts)
        out << "kactor run: receiving alerts on " << oo.alerts->address << ":" << op.value()->alerts_port() << std::endl;
      std::lock_guard lock(state.mutex);
      state.op = std::move(op.value());
      state.standing_by = false;
    }
  }
}

/// Stops the operator first (no write starts after it: only then may a successor lead), then releases the
/// Lease, then the listeners and the election's client.
void shut_down(shared_state& state, const std::shared_ptr<k8s::leader_elector>& elector,
               std::vector<std::unique_ptr<http::server>>& servers, std::ostream& out) {
  std::unique_ptr<operator_runtime> op;
  {
    std::lock_guard lock(state.mutex);
    op = std::move(state.op);
  }
  if (op)
    op->stop(); // no write starts after this: only then may a successor lead
  if (elector)
    elector->stop(); // releases the Lease
  for (auto& s : servers)
    s->stop();
  if (state.election_client)
    state.election_client->stop();
  out << "kactor run: stopped\n";
}

} // namespace

int run_command(const run_options& opts, std::ostream& out, std::ostream& err) {
  if (auto st = configure_logging(opts.log_format, opts.verbose ? "debug" : "info"); !st.is_ok()) {
    err << "error: " << st.message() << '\n';
    return exit_bad_input;
  }
  auto listeners = parse_listeners(opts, err);
  if (!listeners)
    return exit_bad_input;
  if (auto alerts = receiver_options_of(opts.alerts); !alerts.is_ok()) { // bad flags fail before anything connects
    err << "error: " << alerts.error().message() << '\n';
    return exit_bad_input;
  }
  if (!opts.disable_cruise_control && !cruise_control_options(opts, err))
    return exit_bad_input;
  auto config = k8s::load_default_config(opts.kubeconfig, opts.context);
  if (!config.is_ok()) {
    err << "error: " << config.error().message() << '\n';
    return 1;
  }
  // Only sigtimedwait in serve_until_signal receives the signals: block them before any thread starts.
  auto signals = block_stop_signals();
  auto state = std::make_shared<shared_state>();
  auto servers = start_servers(*listeners, state, out, err);
  if (!servers)
    return 1;
  operator_options oo;
  if (auto code = build_ports(opts, oo, err); code != 0)
    return code;
  std::atomic<bool> lead{!opts.leader_election}, lost{false};
  std::shared_ptr<k8s::leader_elector> elector;
  if (opts.leader_election)
    if (auto code = start_election(opts, config.value(), lead, lost, *state, elector, err); code != 0)
      return code;
  int code = serve_until_signal(signals, *state, config.value(), oo, lead, lost, out);
  shut_down(*state, elector, *servers, out);
  return code;
}

} // namespace kactor::runtime
