#include "model/quantity.hpp"

#include <cmath>
#include <utility>

namespace kactor::model {

namespace {

bool suffix_multiplier(std::string_view suffix, long double& out) {
  struct entry {
    std::string_view name;
    long double factor;
  };
  static constexpr entry table[] = {
    {"", 1.0L},     {"n", 1e-9L},   {"u", 1e-6L},   {"m", 1e-3L},     {"k", 1e3L},
    {"M", 1e6L},    {"G", 1e9L},    {"T", 1e12L},   {"P", 1e15L},     {"E", 1e18L},
    {"Ki", 1024.0L}, {"Mi", 1048576.0L}, {"Gi", 1073741824.0L}, {"Ti", 1099511627776.0L},
    {"Pi", 1125899906842624.0L}, {"Ei", 1152921504606846976.0L},
  };
  for (const auto& e : table)
    if (e.name == suffix) {
      out = e.factor;
      return true;
    }
  return false;
}

status bad(std::string_view text, const char* why) {
  return status::invalid("invalid quantity \"" + std::string{text} + "\": " + why);
}

} // namespace

result<quantity> parse_quantity(std::string_view text) {
  if (text.empty())
    return bad(text, "empty");
  size_t i = 0;
  bool negative = false;
  if (text[i] == '+' || text[i] == '-')
    negative = text[i++] == '-';
  long double number = 0;
  size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits)
    number = number * 10 + (text[i] - '0');
  if (i < text.size() && text[i] == '.') {
    long double scale = 0.1L;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits, scale /= 10)
      number += (text[i] - '0') * scale;
  }
  if (digits == 0)
    return bad(text, "expected a number such as 500m, 2, 10Gi or 1e3");
  auto suffix = text.substr(i);
  long double factor = 1;
  if (!suffix.empty() && (suffix[0] == 'e' || suffix[0] == 'E') && suffix.size() > 1) {
    // An exponent: e3, E-2.
    size_t j = 1;
    bool neg_exp = false;
    if (suffix[j] == '+' || suffix[j] == '-')
      neg_exp = suffix[j++] == '-';
    if (j >= suffix.size())
      return bad(text, "exponent has no digits");
    int exp = 0;
    for (; j < suffix.size(); ++j) {
      if (suffix[j] < '0' || suffix[j] > '9')
        return bad(text, "exponent must be digits");
      exp = exp * 10 + (suffix[j] - '0');
      if (exp > 300)
        return bad(text, "exponent out of range");
    }
    factor = std::pow(10.0L, neg_exp ? -exp : exp);
  } else if (!suffix_multiplier(suffix, factor)) {
    return bad(text, "unknown suffix (use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi or Ei)");
  }
  quantity q;
  q.value = (negative ? -number : number) * factor;
  q.text = std::string{text};
  return q;
}

} // namespace kactor::model
