// A test helper process that contends for a Lease: leader_election_test.cpp runs two of them against one
// simulated API server and watches what they print, one line each, flushed at once:
//   LEADING <id>     it became the leader
//   STOPPED <id>     it stopped leading
//   NEWLEADER <who>  it saw a new holder of the lease
//   EXIT <id>        after SIGTERM/SIGINT: the lease is released, exit status 0 follows
// Usage: lease_contender --server URL --identity ID [--lease-ms 3000 --renew-ms 2000 --retry-ms 500
//                        --name NAME --namespace NS]
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "integrations/kubernetes/kube_client.hpp"
#include "integrations/kubernetes/leader_election.hpp"

namespace k8s = kactor::integrations::kubernetes;

namespace {

std::mutex out_mutex;

void say(const std::string& word, const std::string& who) {
  std::lock_guard lock(out_mutex);
  std::printf("%s %s\n", word.c_str(), who.c_str());
  std::fflush(stdout);
}

struct args {
  std::string server;
  k8s::leader_election_options election;
};

bool parse(int argc, char** argv, args& out, std::string& error) {
  out.election.lease_duration = std::chrono::milliseconds{3000};
  out.election.renew_deadline = std::chrono::milliseconds{2000};
  out.election.retry_period = std::chrono::milliseconds{500};
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {
      error = flag + ": missing value";
      return false;
    }
    std::string value = argv[i + 1];
    auto millis = [&](std::chrono::milliseconds& to) {
      char* end = nullptr;
      long v = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || v <= 0)
        return false;
      to = std::chrono::milliseconds{v};
      return true;
    };
    bool ok = true;
    if (flag == "--server")
      out.server = value;
    else if (flag == "--identity")
      out.election.identity = value;
    else if (flag == "--name")
      out.election.name = value;
    else if (flag == "--namespace")
      out.election.namespace_ = value;
    else if (flag == "--lease-ms")
      ok = millis(out.election.lease_duration);
    else if (flag == "--renew-ms")
      ok = millis(out.election.renew_deadline);
    else if (flag == "--retry-ms")
      ok = millis(out.election.retry_period);
    else
      ok = false;
    if (!ok) {
      error = flag + " " + value + ": unknown flag or bad value";
      return false;
    }
  }
  if (out.server.empty() || out.election.identity.empty()) {
    error = "--server and --identity are required";
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char** argv) {
  args a;
  std::string error;
  if (!parse(argc, argv, a, error)) {
    std::fprintf(stderr, "lease_contender: %s\n", error.c_str());
    return 2;
  }
  // Blocked before any thread starts, so every thread inherits the mask and sigwait below gets them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  k8s::client_config config;
  config.server = a.server;
  config.source = "lease_contender";
  if (auto st = k8s::parse_server_url(a.server, config.endpoint); !st) {
    std::fprintf(stderr, "lease_contender: %s\n", st.message().c_str());
    return 2;
  }
  auto client = k8s::kube_client::make(config);
  if (!client) {
    std::fprintf(stderr, "lease_contender: %s\n", client.error().message().c_str());
    return 2;
  }
  auto id = a.election.identity;
  k8s::leader_elector::callbacks cbs;
  cbs.on_started_leading = [id] { say("LEADING", id); };
  cbs.on_stopped_leading = [id] { say("STOPPED", id); };
  cbs.on_new_leader = [](const std::string& holder) { say("NEWLEADER", holder); };
  auto elector = k8s::leader_elector::start(*client, a.election, std::move(cbs));
  if (!elector) {
    std::fprintf(stderr, "lease_contender: %s\n", elector.error().message().c_str());
    return 2;
  }
  int sig = 0;
  sigwait(&signals, &sig);
  (*elector)->stop();
  say("EXIT", id);
  (*client)->stop();
  return 0;
}
