#include "model/document.hpp"

#include <regex>

#include <yaml-cpp/yaml.h>

namespace kactor::model {

namespace {

// YAML 1.2 core schema resolution for plain (unquoted) scalars.
json resolve_plain_scalar(const std::string& s) {
  static const std::regex int_re{R"([-+]?[0-9]+)"};
  static const std::regex hex_re{R"(0x[0-9a-fA-F]+)"};
  static const std::regex oct_re{R"(0o[0-7]+)"};
  static const std::regex float_re{R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)"};
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
    return nullptr;
  if (s == "true" || s == "True" || s == "TRUE")
    return true;
  if (s == "false" || s == "False" || s == "FALSE")
    return false;
  try {
    if (std::regex_match(s, int_re))
      return s[0] == '-' ? json(std::stoll(s)) : json(std::stoull(s[0] == '+' ? s.substr(1) : s));
    if (std::regex_match(s, hex_re))
      return std::stoull(s.substr(2), nullptr, 16);
    if (std::regex_match(s, oct_re))
      return std::stoull(s.substr(2), nullptr, 8);
  } catch (const std::out_of_range&) {
    // Too large for 64 bits: fall through to a float, as Go's YAML decoder does.
  }
  if (std::regex_match(s, float_re))
    return std::stod(s);
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf")
    return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF")
    return -std::numeric_limits<double>::infinity();
  return s;
}

json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      // "?" marks a plain scalar; "!" a quoted one; "tag:yaml.org,2002:str" an explicit !!str.
      if (node.Tag() == "?")
        return resolve_plain_scalar(node.Scalar());
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& child : node)
        out.push_back(to_json(child));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node)
        out[kv.first.as<std::string>()] = to_json(kv.second);
      return out;
    }
  }
  return nullptr;
}

void append(std::vector<json>& out, json doc) {
  if (doc.is_null())
    return;
  if (doc.is_object() && doc.value("kind", "") == "List" && doc.contains("items") && doc["items"].is_array()) {
    for (auto& item : doc["items"])
      out.push_back(std::move(item));
    return;
  }
  out.push_back(std::move(doc));
}

std::string line_col(std::string_view text, size_t byte) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

bool looks_like_json(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
      continue;
    return c == '{' || c == '[';
  }
  return false;
}

bool needs_quotes(const std::string& s) {
  if (s.empty())
    return true;
  json resolved = resolve_plain_scalar(s);
  if (!resolved.is_string())
    return true;
  // Strings yaml-cpp would emit plain but that a YAML 1.1 reader (Go, kubectl) reads as booleans.
  static const std::regex yaml11_bool{"y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"};
  return std::regex_match(s, yaml11_bool);
}

void emit(YAML::Emitter& out, const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      if (v.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        break;
      }
      out << YAML::BeginMap;
      for (const auto& [key, child] : v.items()) {
        out << YAML::Key;
        if (needs_quotes(key))
          out << YAML::DoubleQuoted;
        out << key << YAML::Value;
        emit(out, child);
      }
      out << YAML::EndMap;
      break;
    case json::value_t::array:
      if (v.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        break;
      }
      out << YAML::BeginSeq;
      for (const auto& child : v)
        emit(out, child);
      out << YAML::EndSeq;
      break;
    case json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      if (s.find('\n') != std::string::npos)
        out << YAML::Literal << s;
      else if (needs_quotes(s))
        out << YAML::DoubleQuoted << s;
      else
        out << s;
      break;
    }
    case json::value_t::boolean:
      out << (v.get<bool>() ? "true" : "false");
      break;
    case json::value_t::null:
      out << YAML::Null;
      break;
    default:
      out << v.dump();
      break;
  }
}

} // namespace

result<std::vector<json>> load_documents(std::string_view text, std::string_view source) {
  std::vector<json> docs;
  if (looks_like_json(text)) {
    try {
      append(docs, json::parse(text));
      return docs;
    } catch (const json::parse_error& e) {
      return status::parse_error(std::string{source} + ": " + line_col(text, e.byte == 0 ? 0 : e.byte - 1)
                                 + ": invalid JSON: " + e.what());
    }
  }
  try {
    for (const auto& node : YAML::LoadAll(std::string{text}))
      append(docs, to_json(node));
  } catch (const YAML::Exception& e) {
    return status::parse_error(std::string{source} + ": line " + std::to_string(e.mark.line + 1) + ", column "
                               + std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
  }
  return docs;
}

std::string to_yaml(const json& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetSeqFormat(YAML::Block);
  out.SetMapFormat(YAML::Block);
  emit(out, value);
  std::string s = out.c_str();
  if (s.empty() || s.back() != '\n')
    s += '\n';
  return s;
}

std::string to_yaml_stream(const std::vector<json>& values) {
  std::string out;
  for (const auto& v : values) {
    out += "---\n";
    out += to_yaml(v);
  }
  return out;
}

} // namespace kactor::model
