#include "model/properties.hpp"

#include <vector>

namespace kactor::model {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// Joins continuation lines: a line ending in an odd number of backslashes continues on the next line,
// whose leading whitespace is dropped. Each logical line remembers where it started.
struct logical_line {
  std::string text;
  size_t number;
};

std::vector<logical_line> logical_lines(std::string_view text) {
  std::vector<logical_line> out;
  size_t pos = 0, number = 0;
  bool continuing = false;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    ++number;
    if (continuing) {
      while (!line.empty() && is_space(line.front()))
        line.remove_prefix(1);
      out.back().text += line;
    } else {
      out.push_back({std::string{line}, number});
    }
    std::string& cur = out.back().text;
    size_t slashes = 0;
    for (auto it = cur.rbegin(); it != cur.rend() && *it == '\\'; ++it)
      ++slashes;
    continuing = slashes % 2 == 1;
    if (continuing)
      cur.pop_back();
    if (end == text.size())
      break;
    pos = end + 1;
  }
  return out;
}

// Decodes escapes in [begin, end); false on a malformed \u escape.
bool unescape(std::string_view in, std::string& out) {
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '\\' || i + 1 == in.size()) {
      if (c != '\\')
        out += c;
      continue;
    }
    char n = in[++i];
    switch (n) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        if (i + 4 >= in.size())
          return false;
        unsigned cp = 0;
        for (int k = 1; k <= 4; ++k) {
          char h = in[i + k];
          cp <<= 4;
          if (h >= '0' && h <= '9') cp |= h - '0';
          else if (h >= 'a' && h <= 'f') cp |= h - 'a' + 10;
          else if (h >= 'A' && h <= 'F') cp |= h - 'A' + 10;
          else return false;
        }
        i += 4;
        // UTF-8 encode the BMP code point.
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        break;
      }
      default: out += n; break;
    }
  }
  return true;
}

std::string escape(std::string_view s, bool is_key) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\f': out += "\\f"; break;
      case '=':
      case ':':
        if (is_key)
          out += '\\';
        out += c;
        break;
      case ' ':
        if (is_key || i == 0)
          out += '\\';
        out += c;
        break;
      case '#':
      case '!':
        if (i == 0 && is_key)
          out += '\\';
        out += c;
        break;
      default: out += c; break;
    }
  }
  return out;
}

} // namespace

result<properties> parse_properties(std::string_view text) {
  properties out;
  for (const auto& [line, number] : logical_lines(text)) {
    size_t i = 0;
    while (i < line.size() && is_space(line[i]))
      ++i;
    if (i == line.size() || line[i] == '#' || line[i] == '!')
      continue;
    // The key ends at the first unescaped '=', ':' or whitespace.
    size_t key_begin = i;
    for (; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
        continue;
      }
      if (line[i] == '=' || line[i] == ':' || is_space(line[i]))
        break;
    }
    size_t key_end = std::min(i, line.size());
    while (i < line.size() && is_space(line[i]))
      ++i;
    if (i < line.size() && (line[i] == '=' || line[i] == ':'))
      ++i;
    while (i < line.size() && is_space(line[i]))
      ++i;
    std::string key, value;
    auto where = "line " + std::to_string(number) + ": ";
    if (!unescape(std::string_view{line}.substr(key_begin, key_end - key_begin), key))
      return status::invalid(where + "malformed \\uXXXX escape in key");
    if (key.empty())
      return status::invalid(where + "a property needs a key before '" + line.substr(key_begin, 1) + "'");
    if (!unescape(std::string_view{line}.substr(std::min(i, line.size())), value))
      return status::invalid(where + "malformed \\uXXXX escape in the value of " + key);
    out[key] = value;
  }
  return out;
}

std::string render_properties(const properties& props) {
  std::string out;
  for (const auto& [key, value] : props) {
    out += escape(key, true);
    out += '=';
    out += escape(value, false);
    out += '\n';
  }
  return out;
}

properties merge_properties(properties base, const properties& over) {
  for (const auto& [key, value] : over)
    base[key] = value;
  return base;
}

} // namespace kactor::model
