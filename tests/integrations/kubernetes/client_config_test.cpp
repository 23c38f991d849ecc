#include "integrations/kubernetes/client_config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace kactor::integrations::kubernetes {
namespace {

using scratch_dir = testing::temp_dir;

const std::string ca_pem = "-----BEGIN CERTIFICATE-----\nQ0EgY2VydA==\n-----END CERTIFICATE-----\n";
const std::string cert_pem = "-----BEGIN CERTIFICATE-----\nY2xpZW50\n-----END CERTIFICATE-----\n";
const std::string key_pem = "-----BEGIN PRIVATE KEY-----\na2V5\n-----END PRIVATE KEY-----\n";

// Base64 on one line (then a newline); with `wrap`, in 76-column lines as `base64` writes it.
std::string b64(const std::string& text, bool wrap = false) {
  static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < text.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size())
      n |= static_cast<unsigned char>(text[i + 1]) << 8;
    if (i + 2 < text.size())
      n |= static_cast<unsigned char>(text[i + 2]);
    out += abc[(n >> 18) & 63];
    out += abc[(n >> 12) & 63];
    out += i + 1 < text.size() ? abc[(n >> 6) & 63] : '=';
    out += i + 2 < text.size() ? abc[n & 63] : '=';
  }
  if (!wrap)
    return out + "\n";
  std::string wrapped;
  for (size_t i = 0; i < out.size(); i += 76)
    wrapped += out.substr(i, 76) + "\n";
  return wrapped;
}

// One cluster "c1", one user "u1" and one context "ctx" joining them; callers add fields.
std::string kubeconfig(const std::string& cluster_fields, const std::string& user_fields,
                       const std::string& extra = "current-context: ctx\n") {
  return "apiVersion: v1\nkind: Config\n"
         "clusters:\n- name: c1\n  cluster:\n    server: https://10.0.0.1:6443\n"
         + cluster_fields + "users:\n- name: u1\n  user:\n" + user_fields
         + "contexts:\n- name: ctx\n  context:\n    cluster: c1\n    user: u1\n    namespace: kafka\n" + extra;
}

model::result<client_config> parse(const std::string& yaml, const std::string& base_dir = "/cfg",
                                   const std::string& context = "") {
  return parse_kubeconfig(yaml, base_dir, context, "kubeconfig /x");
}

std::string error_of(const model::result<client_config>& r) {
  EXPECT_FALSE(r.is_ok());
  return r.is_ok() ? "" : r.error().message();
}

TEST(client_config, inline_token_and_ca_file_relative_to_kubeconfig_folder) {
  scratch_dir dir;
  dir.write("certs/ca.crt", ca_pem);
  auto path = dir.write("config", kubeconfig("    certificate-authority: certs/ca.crt\n", "    token: abc123\n"));
  auto cfg = load_kubeconfig(path);
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_EQ(cfg->server, "https://10.0.0.1:6443");
  EXPECT_EQ(cfg->endpoint.host, "10.0.0.1");
  EXPECT_EQ(cfg->endpoint.port, 6443);
  EXPECT_TRUE(cfg->endpoint.tls.enabled);
  EXPECT_FALSE(cfg->endpoint.tls.insecure_skip_verify);
  EXPECT_EQ(cfg->endpoint.tls.ca_pem, ca_pem);
  EXPECT_TRUE(cfg->endpoint.tls.client_cert_pem.empty());
  EXPECT_EQ(cfg->token, "abc123");
  EXPECT_TRUE(cfg->token_file.empty());
  EXPECT_EQ(cfg->default_namespace, "kafka");
  EXPECT_EQ(cfg->source, "kubeconfig " + path + " (context ctx)");
}

TEST(client_config, base64_data_fields_wrapped_over_lines) {
  auto indent = [](std::string text) {
    std::string out;
    for (size_t start = 0; start < text.size();) {
      auto nl = text.find('\n', start);
      out += "      " + text.substr(start, nl - start) + "\n";
      start = nl + 1;
    }
    return out;
  };
  auto yaml = kubeconfig("    certificate-authority-data: |\n" + indent(b64(ca_pem, true)),
                         "    client-certificate-data: " + b64(cert_pem) + "    client-key-data: |\n"
                             + indent(b64(key_pem, true)));
  ASSERT_NE(b64(ca_pem, true).find('\n'), b64(ca_pem, true).size() - 1) << "the test wants a wrapped value";
  auto cfg = parse(yaml);
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_EQ(cfg->endpoint.tls.ca_pem, ca_pem);
  EXPECT_EQ(cfg->endpoint.tls.client_cert_pem, cert_pem);
  EXPECT_EQ(cfg->endpoint.tls.client_key_pem, key_pem);
  EXPECT_TRUE(cfg->token.empty());
}

TEST(client_config, client_certificate_and_key_files) {
  scratch_dir dir;
  auto cert = dir.write("client.crt", cert_pem);
  dir.write("keys/client.key", key_pem);
  // One absolute path, one relative to the base folder.
  auto cfg = parse(kubeconfig("", "    client-certificate: " + cert + "\n    client-key: keys/client.key\n"), dir.path);
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_EQ(cfg->endpoint.tls.client_cert_pem, cert_pem);
  EXPECT_EQ(cfg->endpoint.tls.client_key_pem, key_pem);
}

TEST(client_config, data_wins_over_file) {
  auto cfg = parse(
      kubeconfig("    certificate-authority: /does/not/exist\n    certificate-authority-data: " + b64(ca_pem), ""));
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_EQ(cfg->endpoint.tls.ca_pem, ca_pem);
}

TEST(client_config, token_file_is_resolved_and_must_exist) {
  scratch_dir dir;
  dir.write("secrets/token", "tok\n");
  auto cfg = parse(kubeconfig("", "    tokenFile: secrets/token\n"), dir.path);
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_EQ(cfg->token_file, dir.path + "/secrets/token");
  EXPECT_TRUE(cfg->token.empty());

  auto missing = parse(kubeconfig("", "    tokenFile: nope\n"), dir.path);
  auto msg = error_of(missing);
  EXPECT_NE(msg.find("kubeconfig /x: users[0].user.tokenFile: cannot read " + dir.path + "/nope"), std::string::npos)
      << msg;
}

TEST(client_config, insecure_skip_verify_and_tls_server_name) {
  auto cfg = parse(kubeconfig("    insecure-skip-tls-verify: true\n    tls-server-name: api.internal\n", "    {}\n"));
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_TRUE(cfg->endpoint.tls.enabled);
  EXPECT_TRUE(cfg->endpoint.tls.insecure_skip_verify);
  EXPECT_EQ(cfg->endpoint.tls.server_name, "api.internal");
  EXPECT_TRUE(cfg->endpoint.tls.ca_pem.empty());
}

TEST(client_config, the_sims_kubeconfig_shape_with_an_empty_user_loads) {
  auto cfg
      = parse("apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster:\n    server: http://127.0.0.1:40000\n"
              "users:\n- name: s\n  user: {}\ncontexts:\n- name: s\n  context:\n    cluster: s\n    user: s\n"
              "current-context: s\n");
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_FALSE(cfg->endpoint.tls.enabled);
  EXPECT_EQ(cfg->endpoint.port, 40000);
  EXPECT_EQ(cfg->default_namespace, "default");
}

const std::string two_contexts = R"(
clusters:
- name: prod
  cluster:
    server: https://prod.example.com
- name: dev
  cluster:
    server: http://dev.example.com:8080/
users:
- name: alice
  user:
    token: alice-token
- name: bob
  user:
    token: bob-token
contexts:
- name: prod
  context: {cluster: prod, user: alice, namespace: kafka}
- name: dev
  context: {cluster: dev, user: bob}
current-context: prod
)";

TEST(client_config, current_context_and_context_override) {
  auto cur = parse(two_contexts);
  ASSERT_TRUE(cur.is_ok()) << cur.error().message();
  EXPECT_EQ(cur->endpoint.host, "prod.example.com");
  EXPECT_EQ(cur->endpoint.port, 443);
  EXPECT_EQ(cur->token, "alice-token");
  EXPECT_EQ(cur->default_namespace, "kafka");

  auto dev = parse(two_contexts, "/cfg", "dev");
  ASSERT_TRUE(dev.is_ok()) << dev.error().message();
  EXPECT_EQ(dev->endpoint.host, "dev.example.com");
  EXPECT_EQ(dev->endpoint.port, 8080);
  EXPECT_FALSE(dev->endpoint.tls.enabled);
  EXPECT_EQ(dev->token, "bob-token");
  EXPECT_EQ(dev->default_namespace, "default");
  EXPECT_EQ(dev->source, "kubeconfig /x (context dev)");

  auto none = parse(two_contexts, "/cfg", "staging");
  EXPECT_EQ(none.error().kind(), model::status_kind::not_found);
  EXPECT_EQ(error_of(none), "kubeconfig /x: context \"staging\" not found");
}

TEST(client_config, missing_current_context_without_context_is_an_error) {
  auto yaml = two_contexts.substr(0, two_contexts.find("current-context:"));
  EXPECT_EQ(error_of(parse(yaml)), "kubeconfig /x: current-context is not set and no context was given");
  EXPECT_TRUE(parse(yaml, "/cfg", "dev").is_ok());
  EXPECT_EQ(error_of(parse(yaml + "current-context: gone\n")),
            "kubeconfig /x: current-context: context \"gone\" not found");
}

TEST(client_config, unknown_cluster_and_user_references_name_the_field) {
  auto bad_cluster = two_contexts;
  bad_cluster.replace(bad_cluster.find("cluster: dev"), 12, "cluster: foo");
  EXPECT_EQ(error_of(parse(bad_cluster, "/cfg", "dev")),
            "kubeconfig /x: contexts[1].context.cluster: cluster \"foo\" not found");
  auto bad_user = two_contexts;
  bad_user.replace(bad_user.find("user: alice"), 11, "user: carol");
  EXPECT_EQ(error_of(parse(bad_user)), "kubeconfig /x: contexts[0].context.user: user \"carol\" not found");
  // An empty `user:` is null, which reads as no credentials; a scalar is a mistake.
  auto anonymous = parse(kubeconfig("", ""));
  ASSERT_TRUE(anonymous.is_ok()) << anonymous.error().message();
  EXPECT_TRUE(anonymous->token.empty());
  auto scalar_user = kubeconfig("", "");
  scalar_user.replace(scalar_user.find("  user:\n"), 8, "  user: alice\n");
  EXPECT_EQ(error_of(parse(scalar_user)), "kubeconfig /x: users[0].user: must be a mapping (found string)");
}

TEST(client_config, unsupported_auth_is_refused_naming_the_field) {
  auto exec = parse(kubeconfig("", "    exec:\n      command: aws\n"));
  EXPECT_EQ(exec.error().kind(), model::status_kind::unsupported);
  EXPECT_EQ(error_of(exec), "kubeconfig /x: users[0].user.exec: exec credential plugins are not supported");
  EXPECT_EQ(error_of(parse(kubeconfig("", "    auth-provider:\n      name: gcp\n"))),
            "kubeconfig /x: users[0].user.auth-provider: auth-provider plugins are not supported");
  EXPECT_EQ(error_of(parse(kubeconfig("", "    username: admin\n    password: secret\n"))),
            "kubeconfig /x: users[0].user.username: basic authentication (username/password) is not supported");
  EXPECT_EQ(error_of(parse(kubeconfig("", "    password: secret\n"))),
            "kubeconfig /x: users[0].user.password: basic authentication (username/password) is not supported");
}

TEST(client_config, wrong_types_name_the_field) {
  auto yaml = kubeconfig("", "    token: t\n");
  auto numeric_server = yaml;
  numeric_server.replace(numeric_server.find("https://10.0.0.1:6443"), 21, "42");
  EXPECT_EQ(error_of(parse(numeric_server)),
            "kubeconfig /x: clusters[0].cluster.server: must be a string (found number)");
  EXPECT_EQ(error_of(parse(kubeconfig("    insecure-skip-tls-verify: yes\n", ""))),
            "kubeconfig /x: clusters[0].cluster.insecure-skip-tls-verify: must be true or false (found string)");
  EXPECT_EQ(error_of(parse(kubeconfig("", "    token: [a, b]\n"))),
            "kubeconfig /x: users[0].user.token: must be a string (found array)");
  auto numeric_ns = yaml;
  numeric_ns.replace(numeric_ns.find("namespace: kafka"), 16, "namespace: 7");
  EXPECT_EQ(error_of(parse(numeric_ns)),
            "kubeconfig /x: contexts[0].context.namespace: must be a string (found number)");
  EXPECT_EQ(error_of(parse("clusters: {}\ncurrent-context: ctx\ncontexts:\n- name: ctx\n  context: {cluster: c}\n")),
            "kubeconfig /x: clusters: must be a list (found object)");
  EXPECT_EQ(error_of(parse("contexts:\n- just-a-string\ncurrent-context: ctx\n")),
            "kubeconfig /x: contexts[0]: must be a mapping (found string)");
  EXPECT_EQ(error_of(parse("current-context: 5\n")), "kubeconfig /x: current-context: must be a string (found number)");
  EXPECT_EQ(error_of(parse("- a\n- b\n")), "kubeconfig /x: must be a mapping (found array)");
}

TEST(client_config, missing_server_and_cluster_name) {
  auto no_server = kubeconfig("", "");
  no_server.erase(no_server.find("    server: https://10.0.0.1:6443\n"), 34);
  EXPECT_EQ(error_of(parse(no_server)), "kubeconfig /x: clusters[0].cluster.server: missing");
  EXPECT_EQ(error_of(parse("contexts:\n- name: ctx\n  context: {user: u}\ncurrent-context: ctx\n")),
            "kubeconfig /x: contexts[0].context.cluster: missing");
}

TEST(client_config, bad_base64_and_non_pem_name_the_field) {
  for (std::string bad : {"not*base64", "QUJD=", "QQ=A", "QUJDRA==="}) {
    auto msg = error_of(parse(kubeconfig("    certificate-authority-data: \"" + bad + "\"\n", "")));
    EXPECT_EQ(msg, "kubeconfig /x: clusters[0].cluster.certificate-authority-data: not valid base64") << bad;
  }
  EXPECT_EQ(error_of(parse(kubeconfig("", "    client-certificate-data: " + b64("DER bytes")
                                              + "    client-key-data: " + b64(key_pem)))),
            "kubeconfig /x: users[0].user.client-certificate-data: not PEM (no -----BEGIN line)");
}

TEST(client_config, client_certificate_without_key_is_an_error) {
  EXPECT_EQ(error_of(parse(kubeconfig("", "    client-certificate-data: " + b64(cert_pem)))),
            "kubeconfig /x: users[0].user: client-certificate and client-key must be given together");
}

TEST(client_config, unreadable_ca_file_names_field_and_path) {
  auto msg = error_of(parse(kubeconfig("    certificate-authority: ca.pem\n", ""), "/nonexistent-dir"));
  EXPECT_EQ(msg, "kubeconfig /x: clusters[0].cluster.certificate-authority: cannot read /nonexistent-dir/ca.pem: "
                 "No such file or directory");
}

TEST(client_config, bad_server_url_in_kubeconfig_names_the_field) {
  auto yaml = kubeconfig("", "");
  yaml.replace(yaml.find("https://10.0.0.1:6443"), 21, "https://10.0.0.1:6443/k8s");
  EXPECT_EQ(error_of(parse(yaml)), "kubeconfig /x: clusters[0].cluster.server: URL \"https://10.0.0.1:6443/k8s\": "
                                   "path prefixes are not supported");
}

TEST(client_config, yaml_syntax_errors_and_document_count) {
  auto syntax = parse("clusters: [\n");
  EXPECT_EQ(syntax.error().kind(), model::status_kind::parse_error);
  EXPECT_NE(error_of(syntax).find("kubeconfig /x"), std::string::npos);
  EXPECT_EQ(error_of(parse("")), "kubeconfig /x: expected one YAML document, found 0");
  EXPECT_EQ(error_of(parse("a: 1\n---\nb: 2\n")), "kubeconfig /x: expected one YAML document, found 2");
}

TEST(client_config, load_kubeconfig_reports_an_unreadable_file) {
  auto msg = error_of(load_kubeconfig("/nonexistent-dir/config"));
  EXPECT_EQ(msg, "kubeconfig: cannot read /nonexistent-dir/config: No such file or directory");
}

TEST(client_config_server_url, accepted_forms) {
  struct ok_case {
    std::string url, host;
    uint16_t port;
    bool tls;
  };
  for (const auto& c : std::vector<ok_case>{
           {"https://10.0.0.1", "10.0.0.1", 443, true},
           {"http://example.com", "example.com", 80, false},
           {"https://api.example.com:6443/", "api.example.com", 6443, true},
           {"https://[::1]:6443", "::1", 6443, true},
           {"https://[fd00:10::1]", "fd00:10::1", 443, true},
           {"http://[2001:db8::5]:8080/", "2001:db8::5", 8080, false},
           {"HTTPS://Host-1.local:1", "Host-1.local", 1, true},
           {"http://localhost:65535", "localhost", 65535, false},
       }) {
    http::client_endpoint ep;
    auto st = parse_server_url(c.url, ep);
    ASSERT_TRUE(st.is_ok()) << c.url << ": " << st.message();
    EXPECT_EQ(ep.host, c.host) << c.url;
    EXPECT_EQ(ep.port, c.port) << c.url;
    EXPECT_EQ(ep.tls.enabled, c.tls) << c.url;
  }
}

TEST(client_config_server_url, rejected_forms_say_why_and_leave_the_endpoint_alone) {
  const std::map<std::string, std::string> cases = {
      {"ftp://example.com", "unsupported scheme \"ftp\" (want http or https)"},
      {"example.com:443", "not a URL"},
      {"https://example.com:0", "port \"0\" is not a number from 1 to 65535"},
      {"https://example.com:65536", "port \"65536\" is not a number from 1 to 65535"},
      {"https://example.com:http", "port \"http\" is not a number from 1 to 65535"},
      {"https://example.com:", "port \"\" is not a number from 1 to 65535"},
      {"https://example.com:-1", "port \"-1\""},
      {"https://example.com/api", "path prefixes are not supported"},
      {"https://example.com:443/k8s/", "path prefixes are not supported"},
      {"https://example.com?x=1", "queries and fragments are not supported"},
      {"https://", "missing host"},
      {"https://:443", "missing host"},
      {"https://::1:443", "an IPv6 address needs brackets"},
      {"https://[::1:443", "unclosed '['"},
      {"https://[zz::1]:443", "\"zz::1\" is not an IPv6 address"},
      {"https://[::1]x", "after the IPv6 address"},
      {"https://user:pw@example.com", "user info in the URL is not supported"},
      {"https://exa mple.com", "invalid character in host"},
  };
  for (const auto& [url, why] : cases) {
    http::client_endpoint ep;
    ep.host = "untouched";
    ep.port = 1;
    auto st = parse_server_url(url, ep);
    ASSERT_FALSE(st.is_ok()) << url;
    EXPECT_EQ(st.kind(), model::status_kind::invalid);
    EXPECT_NE(st.message().find("URL \"" + url + "\": "), std::string::npos) << st.message();
    EXPECT_NE(st.message().find(why), std::string::npos) << url << " -> " << st.message();
    EXPECT_EQ(ep.host, "untouched");
    EXPECT_EQ(ep.port, 1);
  }
}

auto env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>{it->second};
  };
}

TEST(client_config_in_cluster, reads_the_service_account_folder) {
  scratch_dir sa;
  sa.write("ca.crt", ca_pem);
  sa.write("token", "sa-token\n");
  sa.write("namespace", "  kafka\n");
  auto cfg = load_in_cluster(env_of({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}}),
                             sa.path);
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_EQ(cfg->server, "https://10.96.0.1:443");
  EXPECT_EQ(cfg->endpoint.host, "10.96.0.1");
  EXPECT_EQ(cfg->endpoint.port, 443);
  EXPECT_TRUE(cfg->endpoint.tls.enabled);
  EXPECT_EQ(cfg->endpoint.tls.ca_pem, ca_pem);
  EXPECT_TRUE(cfg->token.empty()) << "the token is re-read from the file, never frozen inline";
  EXPECT_EQ(cfg->token_file, sa.path + "/token");
  EXPECT_EQ(cfg->default_namespace, "kafka");
  EXPECT_NE(cfg->source.find(sa.path), std::string::npos);
}

TEST(client_config_in_cluster, ipv6_service_host_gets_brackets_and_namespace_defaults) {
  scratch_dir sa;
  sa.write("ca.crt", ca_pem);
  sa.write("token", "t");
  auto cfg = load_in_cluster(
      env_of({{"KUBERNETES_SERVICE_HOST", "fd00:10:96::1"}, {"KUBERNETES_SERVICE_PORT", "6443"}}), sa.path);
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_EQ(cfg->server, "https://[fd00:10:96::1]:6443");
  EXPECT_EQ(cfg->endpoint.host, "fd00:10:96::1");
  EXPECT_EQ(cfg->endpoint.port, 6443);
  EXPECT_EQ(cfg->default_namespace, "default");
}

TEST(client_config_in_cluster, errors_name_the_missing_piece) {
  scratch_dir sa;
  auto both = env_of({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  auto msg = error_of(load_in_cluster(env_of({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}}), sa.path));
  EXPECT_NE(msg.find("KUBERNETES_SERVICE_PORT is not set"), std::string::npos) << msg;
  msg = error_of(load_in_cluster(env_of({{"KUBERNETES_SERVICE_PORT", "443"}}), sa.path));
  EXPECT_NE(msg.find("KUBERNETES_SERVICE_HOST is not set"), std::string::npos) << msg;
  msg = error_of(
      load_in_cluster(env_of({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "x"}}), sa.path));
  EXPECT_NE(msg.find("port \"x\""), std::string::npos) << msg;
  msg = error_of(load_in_cluster(both, sa.path));
  EXPECT_EQ(msg, "in-cluster config: CA certificate: cannot read " + sa.path + "/ca.crt: No such file or directory");
  sa.write("ca.crt", ca_pem);
  msg = error_of(load_in_cluster(both, sa.path));
  EXPECT_EQ(msg, "in-cluster config: token: cannot read " + sa.path + "/token: No such file or directory");
  sa.write("token", "t");
  EXPECT_TRUE(load_in_cluster(both, sa.path).is_ok());
}

// Sets (or unsets, with nullopt) an environment variable for one scope.
struct env_override {
  env_override(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str()))
      old_ = old;
    value ? ::setenv(name_.c_str(), value->c_str(), 1) : ::unsetenv(name_.c_str());
  }
  ~env_override() { old_ ? ::setenv(name_.c_str(), old_->c_str(), 1) : ::unsetenv(name_.c_str()); }
  std::string name_;
  std::optional<std::string> old_;
};

TEST(client_config_default, explicit_path_then_kubeconfig_variable_then_home) {
  scratch_dir dir;
  auto explicit_path = dir.write("explicit", kubeconfig("", "    token: explicit\n"));
  auto env_path = dir.write("from-env", kubeconfig("", "    token: env\n"));
  dir.write("home/.kube/config", kubeconfig("", "    token: home\n"));
  env_override host{"KUBERNETES_SERVICE_HOST", std::nullopt};
  env_override home{"HOME", dir.path + "/home"};
  {
    env_override kc{"KUBECONFIG", env_path + ":" + dir.path + "/other"};
    auto cfg = load_default_config(explicit_path, "");
    ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
    EXPECT_EQ(cfg->token, "explicit");
    cfg = load_default_config("", "ctx");
    ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
    EXPECT_EQ(cfg->token, "env");
  }
  env_override kc{"KUBECONFIG", std::nullopt};
  auto cfg = load_default_config("", "");
  ASSERT_TRUE(cfg.is_ok()) << cfg.error().message();
  EXPECT_EQ(cfg->token, "home");
}

TEST(client_config_token_source, inline_token_wins_and_none_is_empty) {
  scratch_dir dir;
  auto file = dir.write("token", "from-file");
  token_source inline_only{"inline", file};
  EXPECT_EQ(inline_only.current(), "inline");
  inline_only.invalidate();
  EXPECT_EQ(inline_only.current(), "inline");
  token_source none{"", ""};
  EXPECT_EQ(none.current(), "");
}

TEST(client_config_token_source, rotation_is_seen_after_invalidate) {
  scratch_dir dir;
  auto file = dir.write("token", "first\n");
  token_source src{"", file, std::chrono::seconds{3600}};
  EXPECT_EQ(src.current(), "first");
  dir.write("token", "second \n");
  EXPECT_EQ(src.current(), "first") << "cached until the re-read interval or invalidate()";
  src.invalidate();
  EXPECT_EQ(src.current(), "second");
}

TEST(client_config_token_source, zero_interval_rereads_every_time) {
  scratch_dir dir;
  auto file = dir.write("token", "a");
  token_source src{"", file, std::chrono::seconds{0}};
  EXPECT_EQ(src.current(), "a");
  dir.write("token", "b\n");
  EXPECT_EQ(src.current(), "b");
}

TEST(client_config_token_source, unreadable_file_gives_empty_then_recovers) {
  scratch_dir dir;
  auto file = dir.path + "/token";
  token_source src{"", file};
  EXPECT_EQ(src.current(), "");
  dir.write("token", "late\n");
  EXPECT_EQ(src.current(), "late") << "a failed read is retried on the next call";
}

TEST(client_config_token_source, concurrent_readers_see_whole_tokens) {
  scratch_dir dir;
  auto file = dir.write("token", "t0");
  token_source src{"", file, std::chrono::seconds{0}};
  std::vector<std::thread> threads;
  std::mutex seen_mutex;
  std::set<std::string> seen;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto tok = src.current();
        src.invalidate();
        std::lock_guard lock{seen_mutex};
        seen.insert(tok);
      }
    });
  for (int i = 1; i <= 20; ++i) {
    // Rotate the way the kubelet does: write aside, then rename over.
    dir.write("token.new", "t" + std::to_string(i));
    std::filesystem::rename(dir.path + "/token.new", file);
  }
  for (auto& th : threads)
    th.join();
  for (const auto& tok : seen)
    EXPECT_TRUE(tok.size() >= 2 && tok[0] == 't') << "torn or empty token: \"" << tok << "\"";
  EXPECT_EQ(src.current(), "t20");
}

} // namespace
} // namespace kactor::integrations::kubernetes
