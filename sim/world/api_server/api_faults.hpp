// Fault injection for the simulated API server: rules that make matching requests fail (500, 429 with
// Retry-After, any code), hang until the client gives up, or answer late.
//
// A rule matches by verb (get, list, watch, create, update, patch, delete, deletecollection; empty: any),
// resource (plural; empty: any), a glob on the object name ("kafka-1*"; empty: any) and the client's
// User-Agent product ("kactor" for "kactor/0.1"; empty: any — this is how one client is cut off), and fires with
// probability `rate` drawn from a generator seeded at construction, so a seed replays the same faults.
// The first matching rule that fires decides. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kactor::sim {

/// One fault rule; see the file comment.
struct api_fault_rule {
  std::string verb;
  std::string resource;
  std::string name_glob;
  double rate = 1.0;
  int code = 0;        ///< HTTP status to answer with; 0: none (latency only, or hang)
  int latency_ms = 0;  ///< delay before answering (or before failing)
  bool hang = false;   ///< never answer: the client's timeout must fire
  std::string user_agent; ///< the User-Agent's product (before '/'); empty: any client
};

/// What to do with one request.
struct fault_decision {
  int code = 0;
  int latency_ms = 0;
  bool hang = false;
};

/// The Kubernetes verb of a request.
std::string request_verb(const std::string& method, bool has_name, bool watch);

/// The rule set.
class api_faults {
public:
  explicit api_faults(uint64_t seed) : rng_(seed) {}

  /// Replaces the rules from `{"rules": [{"verb":..., "resource":..., "name":..., "rate":..., "code":...,
  /// "latencyMs":..., "hang":...}]}`; returns an error message naming the bad field, or empty.
  std::string set_from_json(const nlohmann::json& body);
  void set(std::vector<api_fault_rule> rules);
  fault_decision decide(const std::string& verb, const std::string& resource, const std::string& name,
                        const std::string& user_agent = "");

private:
  std::mutex mutex_;
  std::mt19937_64 rng_;
  std::vector<api_fault_rule> rules_;
};

} // namespace kactor::sim
