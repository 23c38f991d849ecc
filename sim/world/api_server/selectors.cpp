#include "sim/world/api_server/selectors.hpp"

#include <algorithm>

namespace kactor::sim {

namespace {

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Splits on commas that are not inside parentheses.
std::vector<std::string> split_terms(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '(')
      ++depth;
    if (c == ')')
      --depth;
    if (c == ',' && depth == 0) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!trim(cur).empty() || !out.empty())
    out.push_back(trim(cur));
  return out;
}

model::status bad(const std::string& term, const char* why) {
  return model::status::invalid("invalid selector term \"" + term + "\": " + why);
}

model::result<selector_term> parse_set_term(const std::string& term, size_t pos, bool negated) {
  selector_term t;
  t.key = trim(term.substr(0, pos));
  t.operation = negated ? selector_term::op::not_in : selector_term::op::in;
  auto open = term.find('(', pos), close = term.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return bad(term, "expected a parenthesised value list");
  std::string inner = term.substr(open + 1, close - open - 1);
  size_t start = 0;
  while (start <= inner.size()) {
    auto comma = inner.find(',', start);
    auto value = trim(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!value.empty())
      t.values.push_back(value);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return t;
}

model::result<selector_term> parse_term(const std::string& term, bool labels) {
  if (term.empty())
    return bad(term, "empty term");
  selector_term t;
  if (auto p = term.find("!="); p != std::string::npos) {
    t.key = trim(term.substr(0, p));
    t.operation = selector_term::op::not_equals;
    t.values = {trim(term.substr(p + 2))};
  } else if (auto p2 = term.find("=="); p2 != std::string::npos) {
    t.key = trim(term.substr(0, p2));
    t.values = {trim(term.substr(p2 + 2))};
  } else if (auto p3 = term.find('='); p3 != std::string::npos) {
    t.key = trim(term.substr(0, p3));
    t.values = {trim(term.substr(p3 + 1))};
  } else if (!labels) {
    return bad(term, "field selectors support only =, == and !=");
  } else if (auto in = term.find(" in "); in != std::string::npos) {
    return parse_set_term(term, in, false);
  } else if (auto notin = term.find(" notin "); notin != std::string::npos) {
    return parse_set_term(term, notin, true);
  } else if (term[0] == '!') {
    t.key = trim(term.substr(1));
    t.operation = selector_term::op::not_exists;
  } else {
    t.key = term;
    t.operation = selector_term::op::exists;
  }
  if (t.key.empty() || t.key.find(' ') != std::string::npos)
    return bad(term, "missing or malformed key");
  return t;
}

model::result<selector> parse(const std::string& text, bool labels) {
  selector out;
  if (trim(text).empty())
    return out;
  for (const auto& term : split_terms(text)) {
    auto t = parse_term(term, labels);
    if (!t)
      return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

bool satisfied(const selector_term& t, const std::string* value) {
  switch (t.operation) {
    case selector_term::op::equals: return value && *value == t.values[0];
    case selector_term::op::not_equals: return !value || *value != t.values[0];
    case selector_term::op::in: return value && std::count(t.values.begin(), t.values.end(), *value) > 0;
    case selector_term::op::not_in: return !value || std::count(t.values.begin(), t.values.end(), *value) == 0;
    case selector_term::op::exists: return value != nullptr;
    case selector_term::op::not_exists: return value == nullptr;
  }
  return false;
}

} // namespace

model::result<selector> parse_label_selector(const std::string& text) {
  return parse(text, true);
}

model::result<selector> parse_field_selector(const std::string& text) {
  return parse(text, false);
}

bool matches_labels(const selector& s, const nlohmann::json& object) {
  const auto* labels = object.contains("metadata") ? &object["metadata"] : nullptr;
  for (const auto& t : s) {
    const std::string* value = nullptr;
    if (labels && labels->contains("labels") && (*labels)["labels"].is_object()) {
      const auto& l = (*labels)["labels"];
      auto it = l.find(t.key);
      if (it != l.end() && it->is_string())
        value = &it->get_ref<const std::string&>();
    }
    if (!satisfied(t, value))
      return false;
  }
  return true;
}

bool matches_fields(const selector& s, const nlohmann::json& object) {
  for (const auto& t : s) {
    const nlohmann::json* cur = &object;
    size_t start = 0;
    while (cur && start <= t.key.size()) {
      auto dot = t.key.find('.', start);
      auto part = t.key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      cur = cur->is_object() && cur->contains(part) ? &(*cur)[part] : nullptr;
      if (dot == std::string::npos)
        break;
      start = dot + 1;
    }
    std::string value;
    if (cur && cur->is_string())
      value = cur->get<std::string>();
    else if (cur && !cur->is_null())
      value = cur->dump();
    if (!satisfied(t, &value))
      return false;
  }
  return true;
}

} // namespace kactor::sim
