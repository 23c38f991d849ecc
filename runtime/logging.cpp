#include "runtime/logging.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

namespace kactor::runtime {

namespace {

/// `%*`: the message as a JSON string literal (quotes and escapes included).
class json_message_flag final : public spdlog::custom_flag_formatter {
public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    auto text = nlohmann::json(std::string(msg.payload.data(), msg.payload.size()))
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<json_message_flag>(); }
};

} // namespace

model::status configure_logging(const std::string& format, const std::string& level) {
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off")
    return model::status::invalid("--log-level: unknown level \"" + level + "\" (trace, debug, info, warn, error, off)");
  spdlog::set_level(lvl);
  if (format == "text")
    return {};
  if (format != "json")
    return model::status::invalid("--log-format: must be text or json, got \"" + format + "\"");
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<json_message_flag>('*').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","logger":"kactor","msg":%*})");
  spdlog::set_formatter(std::move(formatter));
  return {};
}

} // namespace kactor::runtime
