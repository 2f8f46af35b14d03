// parse_values.h — keepalived value syntax (spec §7.1) and the diagnostics sink the block
// parsers share.
//
//   ParseCtx ctx{diag};
//   if (auto t = ctx.timer(st, 0)) vs.delay_loop = *t;   // "6" → 6000 ms, "0.5" → 500 ms
//   ctx.warn(st, "unknown keyword");                      // Warning at st's file:line
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/keepalived_model.h"
#include "config/parse_tree.h"

namespace ulvs::config {

std::optional<bool> parse_bool(std::string_view s);         // on|off|true|false|yes|no
std::optional<TimeMs> parse_timer(std::string_view s);      // seconds, fractional ok → ms
std::optional<int64_t> parse_int(std::string_view s, int64_t lo, int64_t hi);
std::optional<uint16_t> parse_port(std::string_view s);     // 1..65535
std::optional<std::vector<uint8_t>> parse_hex(std::string_view s);  // "0a1B" (even length)
std::optional<net::Addr> parse_addr(std::string_view s);     // v4 or v6, brackets allowed

struct ParseCtx {
  Diagnostics& diag;
  bool failed = false;

  void warn(const Where& w, const std::string& msg) { diag.push_back({Diagnostic::Warning, w, msg}); }
  void error(const Where& w, const std::string& msg) {
    diag.push_back({Diagnostic::Error, w, msg});
    failed = true;
  }
  void warn(const Statement& st, const std::string& msg) { warn(st.where, st.keyword() + ": " + msg); }
  void error(const Statement& st, const std::string& msg) { error(st.where, st.keyword() + ": " + msg); }

  // Checks the argument count (Error when too few, Warning when extra ones are ignored).
  bool need(const Statement& st, size_t min, size_t max);
  void unknown(const Statement& st, const char* where_in);  // Warning, block skipped

  // Typed argument i (an Error and nullopt when missing or malformed).
  std::optional<TimeMs> timer(const Statement& st, size_t i);
  std::optional<int64_t> integer(const Statement& st, size_t i, int64_t lo, int64_t hi);
  std::optional<uint16_t> port(const Statement& st, size_t i);
  std::optional<net::Addr> addr(const Statement& st, size_t i);
  // Optional BOOL argument: no argument = true.
  std::optional<bool> flag(const Statement& st);
  // `keyword SCRIPT [user [group]]` → Script.
  Script script(const Statement& st);
};

}  // namespace ulvs::config
