#include "integrations/http/detail/client_handle.hpp"

#include <utility>

namespace kactor::integrations::http::detail {
namespace {

/// What callers hold: dropping it stops the client (operations keep the implementation alive meanwhile).
class client_handle final : public async_client {
public:
  explicit client_handle(std::shared_ptr<async_client> impl) : impl_(std::move(impl)) {}
  ~client_handle() override { impl_->stop(); }
  void send(outgoing_request req, response_callback done) override { impl_->send(std::move(req), std::move(done)); }
  std::shared_ptr<stream_handle> stream(outgoing_request req, stream_callbacks cbs) override {
    return impl_->stream(std::move(req), std::move(cbs));
  }
  void schedule(std::chrono::milliseconds delay, std::function<void()> fn) override {
    impl_->schedule(delay, std::move(fn));
  }
  size_t idle_connections() const override { return impl_->idle_connections(); }
  uint64_t connections_opened() const override { return impl_->connections_opened(); }
  void stop() override { impl_->stop(); }

private:
  std::shared_ptr<async_client> impl_;
};

} // namespace

std::shared_ptr<async_client> make_client_handle(std::shared_ptr<async_client> impl) {
  return std::make_shared<client_handle>(std::move(impl));
}

} // namespace kactor::integrations::http::detail
