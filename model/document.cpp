#include "model/document.hpp"

#include <limits>
#include <set>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

namespace kactor::model {

namespace {

// Limits that keep hostile input (deep nesting, "billion laughs" alias expansion) from exhausting the
// stack or memory: a KafkaCluster is far below both.
constexpr size_t max_depth = 200;
constexpr size_t max_nodes = 2'000'000;

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty())
    return false;
  for (char c : s)
    if (!pred(c))
      return false;
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_oct(char c) { return c >= '0' && c <= '7'; }

std::string_view unsigned_part(std::string_view s) {
  return (!s.empty() && (s[0] == '-' || s[0] == '+')) ? s.substr(1) : s;
}

// [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_float(std::string_view s) {
  s = unsigned_part(s);
  size_t i = 0, int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i]))
    ++i, ++int_digits;
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && is_digit(s[i]); ++i)
      ++frac_digits;
  if (int_digits == 0 && frac_digits == 0)
    return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
      ++i;
    return all_of(s.substr(std::min(i, s.size())), is_digit);
  }
  return i == s.size();
}

// YAML 1.2 core schema resolution for plain (unquoted) scalars.
json resolve_plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
    return nullptr;
  if (s == "true" || s == "True" || s == "TRUE")
    return true;
  if (s == "false" || s == "False" || s == "FALSE")
    return false;
  try {
    if (all_of(unsigned_part(s), is_digit))
      return s[0] == '-' ? json(std::stoll(s)) : json(std::stoull(s[0] == '+' ? s.substr(1) : s));
    if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all_of(std::string_view{s}.substr(2), is_hex))
      return std::stoull(s.substr(2), nullptr, 16);
    if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && all_of(std::string_view{s}.substr(2), is_oct))
      return std::stoull(s.substr(2), nullptr, 8);
  } catch (const std::out_of_range&) {
    // Too large for 64 bits: fall through to a float, as Go's YAML decoder does.
  }
  if (is_float(s)) {
    try {
      return std::stod(s);
    } catch (const std::out_of_range&) {
      return s[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    }
  }
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf")
    return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF")
    return -std::numeric_limits<double>::infinity();
  return s;
}

struct conversion_limit : std::runtime_error {
  using std::runtime_error::runtime_error;
};

json to_json(const YAML::Node& node, size_t depth, size_t& nodes) {
  if (depth > max_depth)
    throw conversion_limit{"nesting deeper than " + std::to_string(max_depth) + " levels"};
  if (++nodes > max_nodes)
    throw conversion_limit{"more than " + std::to_string(max_nodes) + " nodes (alias expansion?)"};
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
        out.push_back(to_json(child, depth + 1, nodes));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar())
          throw conversion_limit{"a mapping key at line " + std::to_string(kv.first.Mark().line + 1)
                                 + " is not a plain string"};
        out[kv.first.Scalar()] = to_json(kv.second, depth + 1, nodes);
      }
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
  static const std::set<std::string, std::less<>> yaml11_bool{"y",  "Y",  "yes", "Yes", "YES", "n",   "N",  "no",
                                                              "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
  return yaml11_bool.contains(s);
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
    size_t nodes = 0;
    for (const auto& node : YAML::LoadAll(std::string{text}))
      append(docs, to_json(node, 0, nodes));
  } catch (const conversion_limit& e) {
    return status::parse_error(std::string{source} + ": unsupported document: " + e.what());
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
