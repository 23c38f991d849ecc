#include "test_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace kactor::integrations::kubernetes::testing {

temp_dir::temp_dir() {
  std::string templ = (std::filesystem::temp_directory_path() / "kactor-kube-XXXXXX").string();
  path = mkdtemp(templ.data());
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string temp_dir::write(const std::string& name, const std::string& content) const {
  auto p = std::filesystem::path(path) / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

std::unique_ptr<sim::api_server> start_api_server(std::optional<std::string> token, std::optional<http::tls_files> tls) {
  sim::api_server_options opts;
  opts.token = std::move(token);
  opts.tls = std::move(tls);
  opts.bookmark_interval = std::chrono::milliseconds{500};
  auto server = sim::api_server::start(opts);
  if (!server.is_ok()) {
    ADD_FAILURE() << server.error().message();
    return nullptr;
  }
  return std::move(server.value());
}

std::shared_ptr<kube_client> make_client(const sim::api_server& server, kube_client_options opts, const std::string& token) {
  client_config config;
  config.server = server.url();
  auto st = parse_server_url(config.server, config.endpoint);
  EXPECT_TRUE(st.is_ok()) << st.message();
  config.token = token;
  config.source = "test";
  auto client = kube_client::make(config, opts);
  EXPECT_TRUE(client.is_ok()) << (client.is_ok() ? "" : client.error().message());
  return client.is_ok() ? std::move(client.value()) : nullptr;
}

bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  return cond();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<test_pki> make_test_pki(const std::string& dir) {
  test_pki p{dir + "/ca.crt", dir + "/server.crt", dir + "/server.key", dir + "/client.crt", dir + "/client.key"};
  std::ofstream(dir + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  std::string q = " >/dev/null 2>&1";
  std::string cmds[] = {
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=kactor-test-ca"
      " -keyout " + dir + "/ca.key -out " + p.ca_cert + q,
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 -keyout " + p.server_key +
          " -out " + dir + "/server.csr" + q,
      "openssl x509 -req -in " + dir + "/server.csr -CA " + p.ca_cert + " -CAkey " + dir + "/ca.key -CAcreateserial -days 1"
          " -extfile " + dir + "/san.ext -out " + p.server_cert + q,
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=kactor-client -keyout " + p.client_key +
          " -out " + dir + "/client.csr" + q,
      "openssl x509 -req -in " + dir + "/client.csr -CA " + p.ca_cert + " -CAkey " + dir + "/ca.key -CAcreateserial -days 1"
          " -out " + p.client_cert + q,
  };
  for (const auto& c : cmds) {
    if (std::system(c.c_str()) != 0) {
      ADD_FAILURE() << "openssl failed: " << c;
      return std::nullopt;
    }
  }
  return p;
}

} // namespace kactor::integrations::kubernetes::testing
