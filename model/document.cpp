#include "model/document.hpp"
#include "model/json_read.hpp"

#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <set>
#include <stdexcept>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace kactor::model {

namespace {

// Limits that keep hostile input (deep nesting, "billion laughs" alias expansion) from exhausting the
// stack or memory: a KafkaCluster is far below both.
constexpr size_t max_depth = 200;
constexpr size_t max_nodes = 500'000;

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

size_t count_nodes(const json& v) {
  size_t n = 1;
  if (v.is_structured())
    for (const auto& child : v)
      n += count_nodes(child);
  return n;
}

// Builds JSON straight from yaml-cpp's parser events. yaml-cpp's own node builder is not used: on
// hostile input with many aliases it spends unbounded time and memory before we could count anything.
// Here an alias copies its anchor's value and is charged that value's size against max_nodes.
class json_builder : public YAML::EventHandler {
public:
  /// `input_bytes` bounds the events a parse may produce (see step()).
  json_builder(std::vector<json>& docs, size_t input_bytes) : docs_(docs), max_events_(2 * input_bytes + 16) {}

  /// Adds a finished document, expanding `kind: List` into its items and skipping empty documents.
  static void append_doc(std::vector<json>& out, json doc);

  void OnDocumentStart(const YAML::Mark&) override {
    step();
    stack_.clear();
  }
  void OnDocumentEnd() override {
    append_doc(docs_, std::move(root_));
    root_ = nullptr;
    anchors_.clear();
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    step();
    value(mark, nullptr, anchor, "~");
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    step();
    auto it = anchors_.find(anchor);
    if (it == anchors_.end())
      throw conversion_limit{"unknown alias at line " + std::to_string(mark.line + 1)};
    charge(it->second.second);
    value(mark, it->second.first, 0, it->second.first.is_string() ? it->second.first.get<std::string>() : "");
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    step();
    // "?" marks a plain scalar (resolved by the core schema); "!" a quoted one; other tags keep the text.
    value(mark, tag == "?" ? resolve_plain_scalar(text) : json(text), anchor, text);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    step();
    open(mark, json::array(), anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    step();
    open(mark, json::object(), anchor);
  }
  void OnMapEnd() override { close(); }

private:
  struct frame {
    json value;
    YAML::anchor_t anchor;
    std::optional<std::string> key; // in a mapping: the key waiting for its value
  };

  // Every event takes at least one byte of input ("-", ":", "*a", "---"), twice that leaves room for
  // implicit nulls. More means yaml-cpp is looping: found by fuzzing, 102 bytes with NULs made it emit
  // events until max_nodes stopped it, seconds of CPU under ASan; this stops it after a few hundred.
  void step() {
    if (++events_ > max_events_)
      throw conversion_limit{"more YAML events than the input can hold (a parser loop)"};
  }

  void charge(size_t n) {
    nodes_ += n;
    if (nodes_ > max_nodes)
      throw conversion_limit{"more than " + std::to_string(max_nodes) + " nodes (alias expansion?)"};
  }

  void open(const YAML::Mark& mark, json empty, YAML::anchor_t anchor) {
    key_check(mark, false);
    if (stack_.size() >= max_depth)
      throw conversion_limit{"nesting deeper than " + std::to_string(max_depth) + " levels"};
    charge(1);
    stack_.push_back({std::move(empty), anchor, std::nullopt});
  }

  void close() {
    frame done = std::move(stack_.back());
    stack_.pop_back();
    remember(done.anchor, done.value);
    place(std::move(done.value));
  }

  void value(const YAML::Mark& mark, json v, YAML::anchor_t anchor, const std::string& text) {
    if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().key) {
      key_check(mark, true);
      stack_.back().key = text;
      return;
    }
    charge(1);
    remember(anchor, v);
    place(std::move(v));
  }

  // Mapping keys must be scalars: kactor's documents are JSON-shaped.
  void key_check(const YAML::Mark& mark, bool scalar) {
    if (!scalar && !stack_.empty() && stack_.back().value.is_object() && !stack_.back().key)
      throw conversion_limit{"a mapping key at line " + std::to_string(mark.line + 1) + " is not a plain string"};
  }

  void remember(YAML::anchor_t anchor, const json& v) {
    if (anchor != 0)
      anchors_[anchor] = {v, count_nodes(v)};
  }

  void place(json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return;
    }
    frame& top = stack_.back();
    if (top.value.is_array()) {
      top.value.push_back(std::move(v));
    } else {
      top.value[*top.key] = std::move(v);
      top.key.reset();
    }
  }

  std::vector<json>& docs_;
  std::vector<frame> stack_;
  std::map<YAML::anchor_t, std::pair<json, size_t>> anchors_;
  json root_;
  size_t nodes_ = 0;
  size_t events_ = 0;
  size_t max_events_;
};

void json_builder::append_doc(std::vector<json>& out, json doc) {
  if (doc.is_null())
    return;
  if (string_or(doc, "kind") == "List" && doc.contains("items") && doc["items"].is_array()) {
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

/// The offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or nullopt.
std::optional<size_t> first_invalid_utf8(std::string_view text) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  for (size_t i = 0; i < text.size();) {
    unsigned char b = byte(i);
    size_t extra = 0;
    unsigned char lo = 0x80, hi = 0xBF; // the allowed range of the second byte
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      extra = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      extra = 2;
      lo = b == 0xE0 ? 0xA0 : 0x80;
      hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      extra = 3;
      lo = b == 0xF0 ? 0x90 : 0x80;
      hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      return i;
    }
    for (size_t k = 1; k <= extra; ++k) {
      if (i + k >= text.size())
        return i; // cut short by the end of the text: the lead byte is at fault
      unsigned char c = byte(i + k);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF))
        return i + k;
    }
    i += extra + 1;
  }
  return std::nullopt;
}

} // namespace

result<std::vector<json>> load_documents(std::string_view text, std::string_view source) {
  std::vector<json> docs;
  // The API server and every JSON text are UTF-8; YAML's parser passes stray bytes through into strings
  // that nlohmann::json then refuses to write (found by fuzzing: a mutated key in an affinity term).
  if (auto bad = first_invalid_utf8(text)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[*bad])));
    return status::parse_error(std::string{source} + ": " + line_col(text, *bad) + ": invalid UTF-8 (byte " + hex
                               + " at offset " + std::to_string(*bad) + ")");
  }
  if (looks_like_json(text)) {
    try {
      json_builder::append_doc(docs, json::parse(text));
      return docs;
    } catch (const json::parse_error& e) {
      return status::parse_error(std::string{source} + ": " + line_col(text, e.byte == 0 ? 0 : e.byte - 1)
                                 + ": invalid JSON: " + e.what());
    } catch (const json::exception& e) {
      // A number too large for a double is out_of_range 406, not a parse_error (found by fuzzing).
      return status::parse_error(std::string{source} + ": invalid JSON: " + e.what());
    }
  }
  try {
    std::istringstream in{std::string{text}};
    YAML::Parser parser{in};
    json_builder builder{docs, text.size()};
    while (parser.HandleNextDocument(builder)) {
      // each document lands in docs through OnDocumentEnd
    }
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
