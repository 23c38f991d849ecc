// The simulated API server's requests on resources (api_server_impl.hpp): get, list, create, update,
// patch, delete and delete-collection, answered from the object store in JSON or as a table.
#include "sim/world/api_server/api_server_impl.hpp"
#include "model/json_read.hpp"

#include <chrono>
#include <cstdlib>

#include "model/document.hpp"
#include "sim/world/api_server/crd_admission.hpp"
#include "sim/world/api_server/patch.hpp"
#include "sim/world/api_server/protobuf.hpp"
#include "sim/world/api_server/selectors.hpp"
#include "sim/world/api_server/table.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim::detail {

// Reads a request body as JSON (or YAML for apply patches); errors name what is wrong.
std::variant<json, api_error> parse_body(const http::request& r, bool yaml_allowed) {
  auto type = header(r, "content-type");
  auto base = type.substr(0, type.find(';'));
  bool yaml = base == "application/yaml" || base == "application/apply-patch+yaml";
  if (base == "application/vnd.kubernetes.protobuf") {
    auto decoded = decode_kubernetes_protobuf(r.body);
    if (!decoded)
      return api_error{decoded.error().kind() == model::status_kind::unsupported ? 415 : 400,
                       decoded.error().kind() == model::status_kind::unsupported ? "UnsupportedMediaType" : "BadRequest",
                       decoded.error().message()};
    return *decoded;
  }
  if (!yaml && base.find("json") == std::string::npos && !base.empty())
    return api_error{415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted "
                                                   "media types include: application/json, application/yaml"};
  if (yaml && yaml_allowed) {
    auto docs = model::load_documents(r.body, "request body");
    if (!docs)
      return api_error{400, "BadRequest", docs.error().message()};
    if (docs->size() != 1)
      return api_error{400, "BadRequest", "expected exactly one YAML document in the request body"};
    return docs->front();
  }
  try {
    return json::parse(r.body);
  } catch (const json::parse_error& e) {
    return api_error{400, "BadRequest", std::string{"the request body is not valid JSON: "} + e.what()};
  }
}

http::response api_server_impl::serve(const http::request& req, const resource_type& type, const resource_path& rp,
                                      const query_map& q) {
  bool status = rp.subresource == "status";
  const auto& m = req.method;
  if (m == "GET" && !rp.name.empty())
    return reply(store_->get(type, rp.namespace_, rp.name), 200, type, req);
  if (m == "GET")
    return list(type, rp, q, req);
  if (m == "POST" && rp.name.empty()) {
    auto body = parse_body(req, false);
    if (auto* e = std::get_if<api_error>(&body))
      return error_response(*e);
    return reply(store_->create(type, rp.namespace_, std::get<json>(body)), 201, type, req);
  }
  if (m == "PUT" && !rp.name.empty()) {
    auto body = parse_body(req, false);
    if (auto* e = std::get_if<api_error>(&body))
      return error_response(*e);
    return reply(store_->update(type, rp.namespace_, rp.name, std::get<json>(body), status), 200, type, req);
  }
  if (m == "PATCH" && !rp.name.empty())
    return patch(req, type, rp, q, status);
  if (m == "DELETE" && !rp.name.empty())
    return reply(store_->remove(type, rp.namespace_, rp.name, delete_opts(req, q)), 200, type, req);
  if (m == "DELETE")
    return delete_collection(req, type, rp, q);
  return error_response({405, "MethodNotAllowed", "the server does not allow this method on the requested resource"});
}

http::response api_server_impl::reply(const store_result& r, int code, const resource_type& type, const http::request& req) {
  if (r.error)
    return error_response(*r.error);
  const json* object = &r.object;
  json defaulted;
  if (defaults_on_read(type)) {
    defaulted = r.object;
    apply_read_defaults(type, defaulted);
    object = &defaulted;
  }
  if (wants_table(header(req, "accept")))
    return json_response(code, to_table(type, {*object}, (*object)["metadata"].value("resourceVersion", ""),
                                        std::chrono::system_clock::now()));
  return json_response(code, *object);
}

http::response api_server_impl::list(const resource_type& type, const resource_path& rp, const query_map& q,
                                     const http::request& req) {
  auto labels = parse_label_selector(q.contains("labelSelector") ? q.at("labelSelector") : "");
  auto fields = parse_field_selector(q.contains("fieldSelector") ? q.at("fieldSelector") : "");
  if (!labels || !fields)
    return error_response({400, "BadRequest", (!labels ? labels.error() : fields.error()).message()});
  size_t limit = 0;
  if (q.contains("limit"))
    limit = static_cast<size_t>(std::strtoull(q.at("limit").c_str(), nullptr, 10));
  auto res = store_->list(type, rp.namespace_, *labels, *fields, limit, q.contains("continue") ? q.at("continue") : "");
  for (auto& item : res.items)
    apply_read_defaults(type, item);
  if (wants_table(header(req, "accept")))
    return json_response(200, to_table(type, res.items, res.resource_version, std::chrono::system_clock::now()));
  json meta = {{"resourceVersion", res.resource_version}};
  if (!res.continue_token.empty())
    meta["continue"] = res.continue_token;
  return json_response(200, {{"kind", type.kind + "List"},
                             {"apiVersion", type.group_version()},
                             {"metadata", meta},
                             {"items", res.items}});
}

http::response api_server_impl::patch(const http::request& req, const resource_type& type, const resource_path& rp,
                                      const query_map& q, bool status) {
  auto kind = patch_type_for(header(req, "content-type"));
  if (!kind)
    return error_response({415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                                                        "accepted media types include: application/json-patch+json, "
                                                        "application/merge-patch+json, application/apply-patch+yaml"});
  auto body = parse_body(req, *kind == patch_type::apply);
  if (auto* e = std::get_if<api_error>(&body))
    return error_response(*e);
  const json& p = std::get<json>(body);
  bool create = *kind == patch_type::apply;
  if (create && q.contains("fieldManager") == false)
    return error_response({422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                                           "is required for apply patch"});
  auto result = store_->modify(type, rp.namespace_, rp.name, status, create,
                               [&](const json& current) -> std::variant<json, api_error> {
                                 auto patched = apply_patch(*kind, current.is_null() ? json::object() : current, p);
                                 if (!patched)
                                   return api_error{422, "Invalid", patched.error().message()};
                                 return *patched;
                               });
  return reply(result, 200, type, req);
}

delete_options api_server_impl::delete_opts(const http::request& req, const query_map& q) {
  delete_options opts;
  json body = json::object();
  if (!req.body.empty()) {
    try {
      body = json::parse(req.body);
    } catch (const json::parse_error&) {
      body = json::object();
    }
  }
  if (!body.is_object())
    body = json::object();
  opts.propagation = model::string_or(body, "propagationPolicy",
                                      q.contains("propagationPolicy") ? q.at("propagationPolicy") : std::string{"Background"});
  if (body.contains("gracePeriodSeconds") && body["gracePeriodSeconds"].is_number_integer())
    opts.grace_period_seconds = body["gracePeriodSeconds"].get<int64_t>();
  else if (q.contains("gracePeriodSeconds"))
    opts.grace_period_seconds = std::strtoll(q.at("gracePeriodSeconds").c_str(), nullptr, 10);
  if (body.contains("preconditions") && body["preconditions"].is_object()) {
    const auto& pre = body["preconditions"];
    if (pre.contains("uid") && pre["uid"].is_string())
      opts.precondition_uid = pre["uid"].get<std::string>();
    if (pre.contains("resourceVersion") && pre["resourceVersion"].is_string())
      opts.precondition_resource_version = pre["resourceVersion"].get<std::string>();
  }
  return opts;
}

http::response api_server_impl::delete_collection(const http::request& req, const resource_type& type, const resource_path& rp,
                                                  const query_map& q) {
  auto labels = parse_label_selector(q.contains("labelSelector") ? q.at("labelSelector") : "");
  auto fields = parse_field_selector(q.contains("fieldSelector") ? q.at("fieldSelector") : "");
  if (!labels || !fields)
    return error_response({400, "BadRequest", (!labels ? labels.error() : fields.error()).message()});
  auto res = store_->list(type, rp.namespace_, *labels, *fields);
  json deleted = json::array();
  for (const auto& o : res.items) {
    auto r = store_->remove(type, o["metadata"].value("namespace", ""), o["metadata"].value("name", ""),
                            delete_opts(req, q));
    if (!r.error)
      deleted.push_back(r.object);
  }
  return json_response(200, {{"kind", type.kind + "List"},
                             {"apiVersion", type.group_version()},
                             {"metadata", {{"resourceVersion", std::to_string(store_->resource_version())}}},
                             {"items", deleted}});
}

} // namespace kactor::sim::detail
