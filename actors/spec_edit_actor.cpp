#include "actors/spec_edit_actor.hpp"

#include <map>

#include <caf/all.hpp>

namespace kactor::actors {

using nlohmann::json;
using namespace messages;
namespace k8s = integrations::kubernetes;

struct spec_edit_state {
  static inline const char* name = "kactor.spec_edit";
  struct in_flight {
    edit_spec edit;
    caf::typed_response_promise<spec_edit_result> promise;
    int attempts = 0;
  };
  kube_ports kube;
  std::map<uint64_t, in_flight> edits; ///< by seq
  uint64_t next_seq = 1;
};

using spec_edit_self = spec_edit_actor::stateful_pointer<spec_edit_state>;

namespace {

/// A CR that keeps changing between read and write is given up on after this many reads.
constexpr int max_attempts = 10;

std::string key(const edit_spec& e) { return e.namespace_ + "/" + e.cluster; }

void finish(spec_edit_self self, uint64_t seq, spec_edit_result r) {
  auto it = self->state.edits.find(seq);
  if (it == self->state.edits.end())
    return;
  it->second.promise.deliver(std::move(r));
  self->state.edits.erase(it);
}

void read(spec_edit_self self, uint64_t seq) {
  auto& e = self->state.edits.at(seq);
  ++e.attempts;
  spec_edit_actor handle = self;
  self->state.kube->client->get(k8s::resources::kafka_clusters(), e.edit.namespace_, e.edit.cluster,
                               [handle, seq](k8s::api_result<json> r) {
                                 bool ok = r.is_ok();
                                 spec_edit_read msg{seq, ok, r.is(k8s::api_error_kind::not_found),
                                                    ok ? "" : r.error().to_string(), ok ? std::move(r).value() : json{}};
                                 caf::anon_send(handle, std::move(msg));
                               });
}

void on_read(spec_edit_self self, spec_edit_read& r) {
  auto it = self->state.edits.find(r.seq);
  if (it == self->state.edits.end())
    return;
  const auto& e = it->second.edit;
  if (!r.ok)
    return finish(self, r.seq, {false, r.not_found ? "no KafkaCluster " + key(e) : r.error});
  json cr = std::move(r.object);
  if (auto st = model::apply_intent(cr["spec"], e.intent); !st.is_ok())
    return finish(self, r.seq, {false, key(e) + ": " + st.message()});
  cr.erase("status");
  spec_edit_actor handle = self;
  auto seq = r.seq;
  self->state.kube->client->update(k8s::resources::kafka_clusters(), e.namespace_, std::move(cr),
                                  [handle, seq](k8s::api_result<json> w) {
                                    caf::anon_send(handle, spec_edit_written{seq, w.is_ok(), w.is(k8s::api_error_kind::conflict),
                                                                             w.is_ok() ? "" : w.error().to_string()});
                                  });
}

void on_written(spec_edit_self self, const spec_edit_written& w) {
  auto it = self->state.edits.find(w.seq);
  if (it == self->state.edits.end())
    return;
  if (w.ok)
    return finish(self, w.seq, {true, ""});
  if (!w.conflict)
    return finish(self, w.seq, {false, w.error});
  if (it->second.attempts >= max_attempts)
    return finish(self, w.seq, {false, "KafkaCluster " + key(it->second.edit) + " kept changing under the edit ("
                                           + std::to_string(max_attempts) + " conflicts)"});
  read(self, w.seq); // someone wrote in between: edit the newer version
}

spec_edit_actor::behavior_type spec_edit_behavior(spec_edit_self self, kube_ports kube) {
  self->state.kube = std::move(kube);
  self->set_exit_handler([self](caf::exit_msg& m) {
    for (auto& [seq, e] : self->state.edits)
      e.promise.deliver(spec_edit_result{false, "the operator stopped before the edit of " + key(e.edit) + " completed"});
    self->state.edits.clear();
    self->quit(m.reason);
  });
  return {
      [=](edit_spec& e) -> caf::result<spec_edit_result> {
        auto seq = self->state.next_seq++;
        auto promise = self->make_response_promise<spec_edit_result>();
        self->state.edits.emplace(seq, spec_edit_state::in_flight{std::move(e), promise, 0});
        read(self, seq);
        return promise;
      },
      [=](spec_edit_read& r) { on_read(self, r); },
      [=](const spec_edit_written& w) { on_written(self, w); },
  };
}

} // namespace

spec_edit_actor spawn_spec_edit_actor(caf::actor_system& sys, kube_ports kube) {
  return sys.spawn(spec_edit_behavior, std::move(kube));
}

} // namespace kactor::actors
