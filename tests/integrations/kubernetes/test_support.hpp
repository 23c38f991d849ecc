// Shared by the Kubernetes client tests: a simulated API server on loopback and a client for it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "integrations/kubernetes/kube_client.hpp"
#include "sim/world/api_server/api_server.hpp"

namespace kactor::integrations::kubernetes::testing {

/// A temporary folder removed with the object.
struct temp_dir {
  temp_dir();
  ~temp_dir();
  std::string path;
  std::string write(const std::string& name, const std::string& content) const; ///< returns the file's path
};

/// The simulated API server (plain HTTP unless `tls`), optionally requiring a bearer token.
std::unique_ptr<sim::api_server> start_api_server(std::optional<std::string> token = std::nullopt,
                                                  std::optional<http::tls_files> tls = std::nullopt);

/// A client for `server` (plain HTTP), with `token` when given.
std::shared_ptr<kube_client> make_client(const sim::api_server& server, kube_client_options opts = {},
                                         const std::string& token = "");

/// Polls `cond` every 10 ms until true or `timeout`; returns the last value.
bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = std::chrono::seconds{10});

/// A CA and a server certificate for 127.0.0.1 signed by it, made with the openssl command line.
struct test_pki {
  std::string ca_cert;     ///< path
  std::string server_cert; ///< path
  std::string server_key;  ///< path
  std::string client_cert; ///< path, signed by the CA
  std::string client_key;  ///< path
};
/// Creates the PKI in `dir`; empty optional (and a gtest failure) when openssl fails.
std::optional<test_pki> make_test_pki(const std::string& dir);

std::string read_file(const std::string& path);

/// A fixture: a simulated API server and a client for it; the client is stopped in TearDown.
class api_test : public ::testing::Test {
protected:
  void SetUp() override {
    server = start_api_server();
    ASSERT_TRUE(server);
    client = make_client(*server);
    ASSERT_TRUE(client);
  }
  void TearDown() override {
    if (client)
      client->stop();
  }
  std::unique_ptr<sim::api_server> server;
  std::shared_ptr<kube_client> client;
};

} // namespace kactor::integrations::kubernetes::testing
