#include "integrations/kubernetes/client_config.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "integrations/kubernetes/secret_data.hpp"
#include "model/document.hpp"

namespace kactor::integrations::kubernetes {

namespace {

using json = nlohmann::json;

model::result<std::string> read_whole_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    return model::status::invalid("cannot read " + path + ": " + std::strerror(errno));
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    out.append(buf, n);
  // Opening a directory succeeds on Linux; only the read fails (EISDIR).
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed)
    return model::status::invalid("cannot read " + path + ": " + std::strerror(err));
  return out;
}

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n\f\v";
  auto begin = s.find_first_not_of(ws);
  if (begin == std::string::npos)
    return {};
  return s.substr(begin, s.find_last_not_of(ws) - begin + 1);
}

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string found(const json& value) {
  return std::string{" (found "} + value.type_name() + ")";
}

/// A cluster, user or context entry found by name: its path ("clusters[1].cluster") and body.
struct entry {
  std::string path;
  const json* body;
};

/// Typed access to one kubeconfig document; every error reads "<source>: <field path>: <message>".
struct reader {
  std::string source;
  std::string base_dir;

  model::status invalid(const std::string& path, const std::string& msg) const {
    return model::status::invalid(source + ": " + path + ": " + msg);
  }

  // A string or bool field. Absent or null leaves `out` alone: kubectl treats `field: null` as not set.
  template <class T>
  model::status field(const json& obj, const std::string& key, const std::string& path, T& out) const {
    constexpr bool is_bool = std::is_same_v<T, bool>;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
      return model::status::ok();
    if (is_bool ? !it->is_boolean() : !it->is_string())
      return invalid(join(path, key), (is_bool ? "must be true or false" : "must be a string") + found(*it));
    out = it->template get<T>();
    return model::status::ok();
  }

  // Relative paths in a kubeconfig are relative to the file's folder, not to the working directory.
  std::string resolve(const std::string& p) const {
    if (base_dir.empty() || std::filesystem::path(p).is_absolute())
      return p;
    return (std::filesystem::path(base_dir) / p).string();
  }

  // PEM from `key-data` (base64) or the file named by `key`; data wins when both are set, as in client-go.
  model::status pem_field(const json& obj, const std::string& key, const std::string& path, std::string& out) const {
    std::string data, file;
    for (const auto& st : {field(obj, key + "-data", path, data), field(obj, key, path, file)})
      if (!st)
        return st;
    std::string pem, at;
    if (!trim(data).empty()) {
      at = join(path, key + "-data");
      auto decoded = decode_base64(data);
      if (!decoded)
        return invalid(at, "not valid base64");
      pem = std::move(*decoded);
    } else if (!file.empty()) {
      at = join(path, key);
      auto content = read_whole_file(resolve(file));
      if (!content)
        return invalid(at, content.error().message());
      pem = std::move(*content);
    } else {
      return model::status::ok();
    }
    // Caught here the mistake names the field; caught by the TLS layer it would only name the role.
    if (pem.find("-----BEGIN ") == std::string::npos)
      return invalid(at, "not PEM (no -----BEGIN line)");
    out = std::move(pem);
    return model::status::ok();
  }

  // Finds the entry named `name` in `list` ("clusters") and its `inner` mapping ("cluster"). Entries are
  // type-checked on the way, so a malformed neighbour is reported rather than skipped.
  model::result<entry> find(const json& doc, const std::string& list, const std::string& inner, const std::string& name,
                            const std::string& ref_path, const std::string& what) const {
    static const json empty = json::object();
    auto it = doc.find(list);
    if (it != doc.end() && !it->is_null() && !it->is_array())
      return invalid(list, "must be a list" + found(*it));
    for (size_t i = 0; it != doc.end() && it->is_array() && i < it->size(); ++i) {
      const json& e = (*it)[i];
      auto path = list + "[" + std::to_string(i) + "]";
      if (!e.is_object())
        return invalid(path, "must be a mapping" + found(e));
      std::string entry_name;
      if (auto st = field(e, "name", path, entry_name); !st)
        return st;
      if (entry_name != name)
        continue;
      auto body = e.find(inner);
      if (body == e.end() || body->is_null())
        return entry{join(path, inner), &empty};
      if (!body->is_object())
        return invalid(join(path, inner), "must be a mapping" + found(*body));
      return entry{join(path, inner), &*body};
    }
    auto where = ref_path.empty() ? source + ": " : source + ": " + ref_path + ": ";
    return model::status::not_found(where + what + " \"" + name + "\" not found");
  }
};

model::status apply_cluster(const reader& r, const entry& c, client_config& cfg) {
  if (auto st = r.field(*c.body, "server", c.path, cfg.server); !st)
    return st;
  if (cfg.server.empty())
    return r.invalid(join(c.path, "server"), "missing");
  if (auto st = parse_server_url(cfg.server, cfg.endpoint); !st)
    return r.invalid(join(c.path, "server"), st.message());
  auto& tls = cfg.endpoint.tls;
  // Evaluated in order; the first failure is the one reported.
  for (const auto& st : {r.pem_field(*c.body, "certificate-authority", c.path, tls.ca_pem),
                         r.field(*c.body, "insecure-skip-tls-verify", c.path, tls.insecure_skip_verify),
                         r.field(*c.body, "tls-server-name", c.path, tls.server_name)})
    if (!st)
      return st;
  return model::status::ok();
}

model::status apply_user(const reader& r, const entry& u, client_config& cfg) {
  // Connecting without the credentials the user configured would fail later with a puzzling 401/403.
  static const std::pair<const char*, const char*> refused[] = {
      {"exec", "exec credential plugins are not supported"},
      {"auth-provider", "auth-provider plugins are not supported"},
      {"username", "basic authentication (username/password) is not supported"},
      {"password", "basic authentication (username/password) is not supported"},
  };
  for (const auto& [key, why] : refused)
    if (auto it = u.body->find(key); it != u.body->end() && !it->is_null())
      return model::status::unsupported(r.source + ": " + join(u.path, key) + ": " + why);
  auto& tls = cfg.endpoint.tls;
  for (const auto& st :
       {r.field(*u.body, "token", u.path, cfg.token), r.field(*u.body, "tokenFile", u.path, cfg.token_file),
        r.pem_field(*u.body, "client-certificate", u.path, tls.client_cert_pem),
        r.pem_field(*u.body, "client-key", u.path, tls.client_key_pem)})
    if (!st)
      return st;
  if (tls.client_cert_pem.empty() != tls.client_key_pem.empty())
    return r.invalid(u.path, "client-certificate and client-key must be given together");
  // Checked now so a typo is reported at startup, not as a 401 on the first request.
  if (!cfg.token_file.empty()) {
    cfg.token_file = r.resolve(cfg.token_file);
    if (auto content = read_whole_file(cfg.token_file); !content)
      return r.invalid(join(u.path, "tokenFile"), content.error().message());
  }
  return model::status::ok();
}

// The context to use: `context` when given, else current-context. Returns its name.
model::result<std::string> context_name(const json& doc, const reader& r, const std::string& context) {
  if (!context.empty())
    return context;
  std::string name;
  if (auto st = r.field(doc, "current-context", "", name); !st)
    return st;
  if (name.empty())
    return model::status::invalid(r.source + ": current-context is not set and no context was given");
  return name;
}

model::result<client_config> parse_document(const json& doc, const reader& r, const std::string& context) {
  if (!doc.is_object())
    return model::status::invalid(r.source + ": must be a mapping" + found(doc));
  auto name = context_name(doc, r, context);
  if (!name)
    return name.error();
  // An explicit context is named by the caller's message, not by a field of the file.
  auto ctx = r.find(doc, "contexts", "context", *name, context.empty() ? "current-context" : "", "context");
  if (!ctx)
    return ctx.error();
  std::string cluster, user, ns;
  for (const auto& st : {r.field(*ctx->body, "cluster", ctx->path, cluster),
                         r.field(*ctx->body, "user", ctx->path, user), r.field(*ctx->body, "namespace", ctx->path, ns)})
    if (!st)
      return st;
  if (cluster.empty())
    return r.invalid(join(ctx->path, "cluster"), "missing");
  client_config cfg;
  auto c = r.find(doc, "clusters", "cluster", cluster, join(ctx->path, "cluster"), "cluster");
  if (!c)
    return c.error();
  if (auto st = apply_cluster(r, *c, cfg); !st)
    return st;
  // A context without a user is kubectl's anonymous access; a user that is named must exist.
  if (!user.empty()) {
    auto u = r.find(doc, "users", "user", user, join(ctx->path, "user"), "user");
    if (!u)
      return u.error();
    if (auto st = apply_user(r, *u, cfg); !st)
      return st;
  }
  cfg.default_namespace = ns.empty() ? cfg.default_namespace : ns;
  cfg.source = r.source + " (context " + *name + ")";
  return cfg;
}

// "[::1]:6443", "host:6443" or "host" → host without brackets and the port text (nullopt when absent).
model::status split_authority(const std::string& a, std::string& host, std::optional<std::string>& port) {
  if (!a.empty() && a.front() == '[') {
    auto close = a.find(']');
    if (close == std::string::npos)
      return model::status::invalid("unclosed '[' in the host");
    host = a.substr(1, close - 1);
    unsigned char buf[16];
    if (inet_pton(AF_INET6, host.c_str(), buf) != 1)
      return model::status::invalid("\"" + host + "\" is not an IPv6 address");
    if (auto rest = a.substr(close + 1); !rest.empty() && rest.front() != ':')
      return model::status::invalid("unexpected \"" + rest + "\" after the IPv6 address");
    else if (!rest.empty())
      port = rest.substr(1);
    return model::status::ok();
  }
  auto colon = a.find(':');
  if (colon != a.rfind(':'))
    return model::status::invalid("an IPv6 address needs brackets, as in https://[::1]:6443");
  host = a.substr(0, colon);
  if (colon != std::string::npos)
    port = a.substr(colon + 1);
  if (host.empty())
    return model::status::invalid("missing host");
  if (host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") != std::string::npos)
    return model::status::invalid("invalid character in host \"" + host + "\"");
  return model::status::ok();
}

} // namespace

model::status parse_server_url(const std::string& url, http::client_endpoint& out) {
  auto bad = [&](const std::string& why) { return model::status::invalid("URL \"" + url + "\": " + why); };
  auto sep = url.find("://");
  if (sep == std::string::npos)
    return bad("not a URL (want https://host[:port])");
  std::string scheme = url.substr(0, sep);
  for (auto& ch : scheme)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (scheme != "http" && scheme != "https")
    return bad("unsupported scheme \"" + scheme + "\" (want http or https)");
  auto rest = url.substr(sep + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  auto tail = end == std::string::npos ? std::string{} : rest.substr(end);
  // Requests are sent to absolute API paths; a prefix (an API server behind a proxy path) would be lost.
  if (!tail.empty() && tail != "/")
    return bad(tail.front() == '/' ? "path prefixes are not supported" : "queries and fragments are not supported");
  if (authority.find('@') != std::string::npos)
    return bad("user info in the URL is not supported");
  std::string host;
  std::optional<std::string> port_text;
  if (auto st = split_authority(authority, host, port_text); !st)
    return bad(st.message());
  uint16_t port = scheme == "https" ? 443 : 80;
  if (port_text) {
    bool digits = !port_text->empty() && port_text->size() <= 5
                  && port_text->find_first_not_of("0123456789") == std::string::npos;
    int value = digits ? std::stoi(*port_text) : 0;
    if (value < 1 || value > 65535)
      return bad("port \"" + *port_text + "\" is not a number from 1 to 65535");
    port = static_cast<uint16_t>(value);
  }
  out.host = host;
  out.port = port;
  out.tls.enabled = scheme == "https";
  return model::status::ok();
}

model::result<client_config> parse_kubeconfig(const std::string& yaml_text, const std::string& base_dir,
                                              const std::string& context, const std::string& source_name) {
  auto docs = model::load_documents(yaml_text, source_name);
  if (!docs)
    return docs.error();
  if (docs->size() != 1)
    return model::status::invalid(source_name + ": expected one YAML document, found " + std::to_string(docs->size()));
  try {
    return parse_document(docs->front(), reader{source_name, base_dir}, context);
  } catch (const json::exception& e) {
    return model::status::invalid(source_name + ": " + e.what());
  }
}

model::result<client_config> load_kubeconfig(const std::string& path, const std::string& context) {
  auto text = read_whole_file(path);
  if (!text)
    return model::status::invalid("kubeconfig: " + text.error().message());
  return parse_kubeconfig(*text, std::filesystem::path(path).parent_path().string(), context, "kubeconfig " + path);
}

model::result<client_config>
load_in_cluster(const std::function<std::optional<std::string>(const std::string&)>& getenv,
                const std::string& sa_dir) {
  const std::string where = "in-cluster config: ";
  std::string host, port;
  for (auto [name, out] : {std::pair{"KUBERNETES_SERVICE_HOST", &host}, std::pair{"KUBERNETES_SERVICE_PORT", &port}}) {
    auto value = getenv(name);
    if (!value || value->empty())
      return model::status::invalid(where + "environment variable " + name + " is not set (not running in a pod?)");
    *out = *value;
  }
  client_config cfg;
  bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  cfg.server = "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  if (auto st = parse_server_url(cfg.server, cfg.endpoint); !st)
    return model::status::invalid(where + "KUBERNETES_SERVICE_HOST/PORT: " + st.message());
  auto ca = read_whole_file(sa_dir + "/ca.crt");
  if (!ca)
    return model::status::invalid(where + "CA certificate: " + ca.error().message());
  cfg.endpoint.tls.ca_pem = std::move(*ca);
  // Only the file name is kept: the kubelet rotates the projected token, token_source re-reads it.
  cfg.token_file = sa_dir + "/token";
  if (auto token = read_whole_file(cfg.token_file); !token)
    return model::status::invalid(where + "token: " + token.error().message());
  if (auto ns = read_whole_file(sa_dir + "/namespace"); ns && !trim(*ns).empty())
    cfg.default_namespace = trim(*ns);
  cfg.source = "in-cluster (service account " + sa_dir + ")";
  return cfg;
}

model::result<client_config> load_default_config(const std::string& kubeconfig_path, const std::string& context) {
  if (!kubeconfig_path.empty())
    return load_kubeconfig(kubeconfig_path, context);
  auto env = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>{v} : std::nullopt;
  };
  // kubectl merges every file in $KUBECONFIG; kactor reads only the first.
  if (auto list = env("KUBECONFIG"); list && !list->empty())
    return load_kubeconfig(list->substr(0, list->find(':')), context);
  if (auto host = env("KUBERNETES_SERVICE_HOST"); host && !host->empty())
    return load_in_cluster(env);
  auto home = env("HOME");
  if (!home || home->empty())
    return model::status::invalid("no kubeconfig: give --kubeconfig or set KUBECONFIG or HOME");
  return load_kubeconfig(*home + "/.kube/config", context);
}

token_source::token_source(std::string token, std::string file, std::chrono::seconds reread)
    : token_(std::move(token)), file_(std::move(file)), reread_(reread) {
  // An inline token wins (see current()); dropping the file lets token_ double as the file's cache.
  if (!token_.empty())
    file_.clear();
}

std::string token_source::current() {
  std::lock_guard lock{mutex_};
  if (file_.empty())
    return token_;
  auto now = std::chrono::steady_clock::now();
  if (fresh_ && now - read_at_ < reread_)
    return token_;
  auto content = read_whole_file(file_);
  // Unreadable: send nothing and try again next time (a 401 is clearer than a stale token).
  token_ = content ? trim(*content) : std::string{};
  fresh_ = content.is_ok();
  read_at_ = now;
  return token_;
}

void token_source::invalidate() {
  std::lock_guard lock{mutex_};
  fresh_ = false;
}

} // namespace kactor::integrations::kubernetes
