#include "integrations/kubernetes/leader_election.hpp"

#include <algorithm>
#include <cstdio>
#include <future>

#include "model/time.hpp"

namespace kactor::integrations::kubernetes {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

/// How long stop() waits for a request in flight, the release, and on_stopped_leading on the I/O thread.
constexpr milliseconds k_stop_bound{5000};

/// RFC 3339 in UTC with microseconds, as metav1.MicroTime (the Lease's renewTime and acquireTime).
std::string rfc3339_micro(system_clock::time_point t) { return model::format_rfc3339_micro(t); }

/// leaseDurationSeconds: whole seconds, rounded up so that nobody sees the lease expire early.
int64_t lease_seconds(milliseconds d) {
  return std::max<int64_t>(1, (d.count() + 999) / 1000);
}

const json* field(const json& j, const char* outer, const char* inner) {
  if (!j.is_object())
    return nullptr;
  auto o = j.find(outer);
  if (o == j.end() || !o->is_object())
    return nullptr;
  auto i = o->find(inner);
  return i == o->end() ? nullptr : &*i;
}

std::string string_at(const json& j, const char* outer, const char* inner) {
  auto p = field(j, outer, inner);
  return p && p->is_string() ? p->get<std::string>() : "";
}

int64_t int_at(const json& j, const char* outer, const char* inner) {
  auto p = field(j, outer, inner);
  return p && p->is_number_integer() ? p->get<int64_t>() : 0;
}

std::string holder_of(const json& lease) {
  return string_at(lease, "spec", "holderIdentity");
}

std::string ms(milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

} // namespace

model::result<std::shared_ptr<leader_elector>> leader_elector::start(std::shared_ptr<kube_client> client,
                                                                     leader_election_options opts, callbacks cbs) {
  auto bad = [](const std::string& what) { return model::status::invalid("leader election: " + what); };
  if (!client)
    return bad("no client");
  if (opts.identity.empty())
    return bad("identity must not be empty (it must be unique per process)");
  if (opts.name.empty() || opts.namespace_.empty())
    return bad("the lease needs a name and a namespace");
  if (opts.retry_period <= milliseconds{0})
    return bad("retry_period must be positive");
  if (opts.retry_period >= opts.renew_deadline)
    return bad("retry_period (" + ms(opts.retry_period) + ") must be shorter than renew_deadline ("
               + ms(opts.renew_deadline) + ")");
  if (opts.renew_deadline >= opts.lease_duration)
    return bad("renew_deadline (" + ms(opts.renew_deadline) + ") must be shorter than lease_duration ("
               + ms(opts.lease_duration) + ")");
  std::shared_ptr<leader_elector> self(new leader_elector(std::move(client), std::move(opts), std::move(cbs)));
  self->client_->schedule(milliseconds{0}, [w = std::weak_ptr(self)] {
    if (auto s = w.lock())
      s->tick();
  });
  return self;
}

leader_elector::leader_elector(std::shared_ptr<kube_client> client, leader_election_options opts, callbacks cbs)
    : client_(std::move(client)), opts_(std::move(opts)), cbs_(std::move(cbs)) {}

std::string leader_elector::observed_holder() const {
  std::lock_guard lock(mutex_);
  return observed_holder_;
}

void leader_elector::tick() {
  if (stopped_)
    return;
  client_->schedule(opts_.retry_period, [w = weak_from_this()] {
    if (auto self = w.lock())
      self->tick();
  });
  check_deadline();
  std::unique_lock lock(mutex_);
  if (busy_ || stopped_)
    return; // the last request still runs (it has its own timeout); the deadline check covers a hang
  busy_ = true;
  if (leading_ && holder_of(last_lease_) == opts_.identity) {
    // Renewing needs no read first: the cached resourceVersion makes the write conditional.
    auto lease = claim(last_lease_, false);
    lock.unlock();
    try_write(std::move(lease), false);
    return;
  }
  lock.unlock();
  client_->get(resources::leases(), opts_.namespace_, opts_.name, [w = weak_from_this()](api_result<json> r) {
    if (auto self = w.lock())
      self->on_get(std::move(r));
  });
}

void leader_elector::on_get(api_result<json> r) {
  auto now = steady_clock::now();
  std::unique_lock lock(mutex_);
  if (stopped_ || (!r.is_ok() && !r.is(api_error_kind::not_found)))
    return finish_request(); // tried again next tick
  if (!r.is_ok()) {
    json fresh = {{"apiVersion", resources::leases().api_version()},
                  {"kind", "Lease"},
                  {"metadata", {{"name", opts_.name}, {"namespace", opts_.namespace_}}}};
    auto lease = claim(fresh, false);
    lock.unlock();
    return try_write(std::move(lease), true);
  }
  last_lease_ = std::move(r).value();
  auto holder = holder_of(last_lease_);
  auto rv = string_at(last_lease_, "metadata", "resourceVersion");
  if (rv != observed_rv_) {
    observed_rv_ = rv;
    observed_at_ = now;
  }
  observed_holder_ = holder;
  // Expiry is judged by our own clock from when we saw the lease change, never by its timestamps; the
  // holder's promise (its leaseDurationSeconds) counts when it is longer than ours.
  auto held_for = std::max<milliseconds>(opts_.lease_duration,
                                         std::chrono::seconds{int_at(last_lease_, "spec", "leaseDurationSeconds")});
  if (!holder.empty() && holder != opts_.identity && observed_at_ + held_for > now) {
    finish_request();
    lock.unlock();
    lose_leadership(); // when we thought we led, someone took the lease meanwhile
    return report_leader(holder);
  }
  auto lease = claim(last_lease_, holder != opts_.identity);
  lock.unlock();
  try_write(std::move(lease), false);
}

json leader_elector::claim(const json& lease, bool new_holder) const {
  json out = lease;
  auto now = rfc3339_micro(system_clock::now());
  json& spec = out["spec"];
  if (!spec.is_object())
    spec = json::object();
  int64_t transitions = int_at(lease, "spec", "leaseTransitions");
  spec["holderIdentity"] = opts_.identity;
  spec["leaseDurationSeconds"] = lease_seconds(opts_.lease_duration);
  spec["renewTime"] = now;
  if (new_holder || !spec.contains("acquireTime"))
    spec["acquireTime"] = now;
  spec["leaseTransitions"] = new_holder ? transitions + 1 : transitions;
  return out;
}

void leader_elector::try_write(json lease, bool create) {
  auto sent_at = steady_clock::now();
  auto done = [w = weak_from_this(), sent_at](api_result<json> r) {
    if (auto self = w.lock())
      self->on_written(std::move(r), sent_at);
  };
  if (create)
    client_->create(resources::leases(), opts_.namespace_, std::move(lease), std::move(done));
  else
    client_->update(resources::leases(), opts_.namespace_, std::move(lease), std::move(done));
}

void leader_elector::on_written(api_result<json> r, time_point sent_at) {
  auto now = steady_clock::now();
  std::unique_lock lock(mutex_);
  finish_request();
  if (!r.is_ok()) {
    // Someone else wrote first (or our cache is stale): read again next tick. Other failures keep the
    // cache; the deadline check ends leadership if they last.
    if (r.is(api_error_kind::conflict) || r.is(api_error_kind::already_exists) || r.is(api_error_kind::not_found))
      last_lease_ = json();
    return;
  }
  last_lease_ = std::move(r).value();
  observed_rv_ = string_at(last_lease_, "metadata", "resourceVersion");
  observed_at_ = now;
  observed_holder_ = holder_of(last_lease_);
  // A write that took longer than renew_deadline proves nothing about now: the next tick renews again.
  if (stopped_ || observed_holder_ != opts_.identity || now - sent_at >= opts_.renew_deadline)
    return;
  last_renew_ = sent_at;
  bool started = !leading_.exchange(true);
  lock.unlock();
  auto left = std::chrono::duration_cast<milliseconds>(sent_at + opts_.renew_deadline - now) + milliseconds{1};
  client_->schedule(left, [w = weak_from_this()] {
    if (auto self = w.lock())
      self->check_deadline();
  });
  if (started && cbs_.on_started_leading)
    cbs_.on_started_leading();
  report_leader(opts_.identity);
}

void leader_elector::finish_request() {
  busy_ = false;
  idle_.notify_all();
}

void leader_elector::check_deadline() {
  {
    std::lock_guard lock(mutex_);
    if (!leading_ || steady_clock::now() - last_renew_ < opts_.renew_deadline)
      return;
  }
  // Before anyone else may take the lease (lease_duration after our last renewal), we stop leading.
  lose_leadership();
}

void leader_elector::lose_leadership() {
  if (leading_.exchange(false) && cbs_.on_stopped_leading)
    cbs_.on_stopped_leading();
}

void leader_elector::report_leader(const std::string& holder) {
  {
    std::lock_guard lock(mutex_);
    if (holder.empty() || holder == reported_leader_)
      return;
    reported_leader_ = holder;
  }
  if (cbs_.on_new_leader)
    cbs_.on_new_leader(holder);
}

void leader_elector::stop() {
  auto deadline = steady_clock::now() + k_stop_bound;
  {
    std::unique_lock lock(mutex_);
    if (stopped_.exchange(true))
      return;
    // A renewal in flight would make our release stale (Conflict): let it finish first.
    idle_.wait_until(lock, deadline, [this] { return !busy_; });
  }
  if (opts_.release_on_stop)
    release(deadline);
  // on_stopped_leading on the I/O thread, so it comes after any on_started_leading already running there.
  auto ran = std::make_shared<std::promise<void>>();
  auto fut = ran->get_future();
  client_->schedule(milliseconds{0}, [self = shared_from_this(), ran] {
    self->lose_leadership();
    ran->set_value();
  });
  if (fut.wait_for(milliseconds{1000}) != std::future_status::ready)
    lose_leadership(); // the client is stopped (schedule does nothing then): call it here, exactly once either way
}

void leader_elector::release(time_point deadline) {
  json lease;
  {
    std::lock_guard lock(mutex_);
    if (holder_of(last_lease_) != opts_.identity)
      return;
    lease = last_lease_;
  }
  // Like client-go's ReleaseOnCancel: no holder and a one-second lease, so a successor takes it at once.
  auto now = rfc3339_micro(system_clock::now());
  lease["spec"]["holderIdentity"] = "";
  lease["spec"]["leaseDurationSeconds"] = 1;
  lease["spec"]["acquireTime"] = now;
  lease["spec"]["renewTime"] = now;
  auto answer = std::make_shared<std::promise<api_result<json>>>();
  auto fut = answer->get_future();
  client_->update(resources::leases(), opts_.namespace_, std::move(lease),
                  [answer](api_result<json> r) { answer->set_value(std::move(r)); });
  if (fut.wait_until(deadline) != std::future_status::ready)
    return;
  auto r = fut.get();
  if (!r.is_ok())
    return;
  std::lock_guard lock(mutex_);
  last_lease_ = std::move(r).value();
  observed_holder_.clear();
}

} // namespace kactor::integrations::kubernetes
