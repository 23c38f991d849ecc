// The blocking helpers of kube_client: for tests and tools, never from a callback.
#include "integrations/kubernetes/kube_client.hpp"

#include <future>

namespace kactor::integrations::kubernetes {

namespace {

/// Starts a call and waits for its callback.
template <class F>
api_result<json> wait_for(F&& start) {
  auto promise = std::make_shared<std::promise<api_result<json>>>();
  auto future = promise->get_future();
  start([promise](api_result<json> r) { promise->set_value(std::move(r)); });
  return future.get();
}

} // namespace

api_result<json> kube_client::get_sync(const resource_type& type, const std::string& ns, const std::string& name) {
  return wait_for([&](json_callback cb) { get(type, ns, name, std::move(cb)); });
}
api_result<json> kube_client::list_sync(const resource_type& type, const std::string& ns, const list_options& opts) {
  return wait_for([&](json_callback cb) { list(type, ns, opts, std::move(cb)); });
}
api_result<json> kube_client::list_all_sync(const resource_type& type, const std::string& ns, const list_options& opts) {
  return wait_for([&](json_callback cb) { list_all(type, ns, opts, std::move(cb)); });
}
api_result<json> kube_client::create_sync(const resource_type& type, const std::string& ns, json object) {
  return wait_for([&](json_callback cb) { create(type, ns, std::move(object), std::move(cb)); });
}
api_result<json> kube_client::update_sync(const resource_type& type, const std::string& ns, json object) {
  return wait_for([&](json_callback cb) { update(type, ns, std::move(object), std::move(cb)); });
}
api_result<json> kube_client::update_status_sync(const resource_type& type, const std::string& ns, json object) {
  return wait_for([&](json_callback cb) { update_status(type, ns, std::move(object), std::move(cb)); });
}
api_result<json> kube_client::patch_sync(const resource_type& type, const std::string& ns, const std::string& name,
                                         patch_type kind, json body, const std::string& subresource) {
  return wait_for([&](json_callback cb) { patch(type, ns, name, kind, std::move(body), std::move(cb), subresource); });
}
api_result<json> kube_client::remove_sync(const resource_type& type, const std::string& ns, const std::string& name,
                                          const delete_options& opts) {
  return wait_for([&](json_callback cb) { remove(type, ns, name, opts, std::move(cb)); });
}

} // namespace kactor::integrations::kubernetes
