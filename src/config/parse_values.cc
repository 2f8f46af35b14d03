// parse_values.cc — see parse_values.h.
#include "config/parse_values.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace ulvs::config {

std::optional<bool> parse_bool(std::string_view s) {
  std::string l;
  for (char c : s) l += char(std::tolower(static_cast<unsigned char>(c)));
  if (l == "on" || l == "true" || l == "yes") return true;
  if (l == "off" || l == "false" || l == "no") return false;
  return std::nullopt;
}

std::optional<TimeMs> parse_timer(std::string_view s) {
  if (s.empty() || s.size() > 32) return std::nullopt;
  std::string t(s);
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v) || v < 0 || v > 1e9) return std::nullopt;
  if (!std::isdigit(static_cast<unsigned char>(t[0])) && t[0] != '.') return std::nullopt;
  return static_cast<TimeMs>(std::llround(v * 1000));
}

std::optional<int64_t> parse_int(std::string_view s, int64_t lo, int64_t hi) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<uint16_t> parse_port(std::string_view s) {
  auto v = parse_int(s, 1, 65535);
  if (!v) return std::nullopt;
  return static_cast<uint16_t>(*v);
}

std::optional<std::vector<uint8_t>> parse_hex(std::string_view s) {
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.size() % 2) return std::nullopt;
  std::vector<uint8_t> out;
  for (size_t i = 0; i < s.size(); i += 2) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data() + i, s.data() + i + 2, v, 16);
    if (ec != std::errc() || p != s.data() + i + 2) return std::nullopt;
    out.push_back(static_cast<uint8_t>(v));
  }
  return out;
}

std::optional<net::Addr> parse_addr(std::string_view s) {
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  return net::Addr::parse(s);
}

bool ParseCtx::need(const Statement& st, size_t min, size_t max) {
  if (st.nargs() < min) {
    error(st, min == 1 ? "missing value" : "needs " + std::to_string(min) + " values");
    return false;
  }
  if (st.nargs() > max) warn(st, "extra values ignored after '" + st.arg(max == 0 ? 0 : max - 1) + "'");
  return true;
}

void ParseCtx::unknown(const Statement& st, const char* where_in) {
  warn(st.where, std::string("unknown keyword '") + st.keyword() + "' in " + where_in +
                     (st.has_block ? " (block skipped)" : " (ignored)"));
}

std::optional<TimeMs> ParseCtx::timer(const Statement& st, size_t i) {
  if (st.nargs() <= i) { error(st, "missing time value"); return std::nullopt; }
  auto t = parse_timer(st.arg(i));
  if (!t) error(st, "bad time value '" + st.arg(i) + "' (seconds expected)");
  return t;
}

std::optional<int64_t> ParseCtx::integer(const Statement& st, size_t i, int64_t lo, int64_t hi) {
  if (st.nargs() <= i) { error(st, "missing value"); return std::nullopt; }
  auto v = parse_int(st.arg(i), lo, hi);
  if (!v) error(st, "bad value '" + st.arg(i) + "' (integer " + std::to_string(lo) + ".." + std::to_string(hi) + " expected)");
  return v;
}

std::optional<uint16_t> ParseCtx::port(const Statement& st, size_t i) {
  if (st.nargs() <= i) { error(st, "missing port"); return std::nullopt; }
  auto p = parse_port(st.arg(i));
  if (!p) error(st, "bad port '" + st.arg(i) + "' (1..65535 expected)");
  return p;
}

std::optional<net::Addr> ParseCtx::addr(const Statement& st, size_t i) {
  if (st.nargs() <= i) { error(st, "missing address"); return std::nullopt; }
  auto a = parse_addr(st.arg(i));
  if (!a) error(st, "bad address '" + st.arg(i) + "'");
  return a;
}

std::optional<bool> ParseCtx::flag(const Statement& st) {
  if (st.nargs() == 0) return true;
  auto b = parse_bool(st.arg(0));
  if (!b) error(st, "bad boolean '" + st.arg(0) + "' (on|off|true|false|yes|no)");
  return b;
}

Script ParseCtx::script(const Statement& st) {
  Script s;
  if (!need(st, 1, 3)) return s;
  s.command = st.arg(0);
  if (st.nargs() > 1) s.user = st.arg(1);
  if (st.nargs() > 2) s.group = st.arg(2);
  return s;
}

}  // namespace ulvs::config
