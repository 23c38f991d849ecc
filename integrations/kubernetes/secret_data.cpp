#include "integrations/kubernetes/secret_data.hpp"

#include "integrations/kubernetes/api.hpp"

#include <cctype>
#include <climits>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

namespace kactor::integrations::kubernetes {

// Values are often wrapped over several lines (kubeconfig -data fields). EVP_DecodeBlock wants one
// unbroken block and counts '=' padding as decoded zero bytes, so strip whitespace first and cut the
// padding off afterwards.
std::optional<std::string> decode_base64(const std::string& text) {
  std::string in;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)))
      in += c;
  if (in.size() % 4 != 0 || in.size() > INT_MAX / 2)
    return std::nullopt;
  size_t pad = 0;
  while (pad < 2 && pad < in.size() && in[in.size() - 1 - pad] == '=')
    ++pad;
  // EVP_DecodeBlock tolerates '=' in odd places; a real encoder writes it only as trailing padding.
  if (auto eq = in.find('='); eq != std::string::npos && eq < in.size() - pad)
    return std::nullopt;
  std::string out(in.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0)
    return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

model::result<std::map<std::string, std::string>> secret_data(const nlohmann::json& secret) {
  std::string name = "Secret";
  if (secret.is_object())
    if (auto m = secret.find("metadata"); m != secret.end() && m->is_object())
      if (auto n = m->find("name"); n != m->end() && n->is_string())
        name += " " + n->get<std::string>();
  std::map<std::string, std::string> out;
  if (!secret.is_object())
    return model::status::invalid(name + ": not an object");
  auto data = secret.find("data");
  if (data == secret.end() || data->is_null())
    return out;
  if (!data->is_object())
    return model::status::invalid(name + ": data: not an object");
  for (const auto& [key, value] : data->items()) {
    std::optional<std::string> decoded;
    if (value.is_string())
      decoded = decode_base64(value.get<std::string>());
    if (!decoded)
      return model::status::invalid(name + ": data." + key + ": not a base64 string");
    out.emplace(key, std::move(*decoded));
  }
  return out;
}

} // namespace kactor::integrations::kubernetes
