// Base64 as the API server writes it: Secret `data` values and kubeconfig `-data` fields (`stringData` is
// write-only and never returned). Error messages name the Secret and the key, never a value.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "model/status.hpp"

namespace kactor::integrations::kubernetes {

/// Standard base64, whitespace (line wrapping) ignored, '=' only as trailing padding; nullopt when invalid.
std::optional<std::string> decode_base64(const std::string& text);

// secret_data (the decoded `data` of a Secret object) is declared in api.hpp, the port actors see.

} // namespace kactor::integrations::kubernetes
