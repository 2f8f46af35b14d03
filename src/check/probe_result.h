// probe_result.h — what one attempt of a checker says.
//
//   ProbeResult r = probe_tcp(checker, target, deadline);
//   if (!r.ok) log("%s", r.message.c_str());
//
// `weight` is set by dynamic checkers only: MISC_CHECK with misc_dynamic (exit 2..255 →
// absolute weight status-2) and FILE_CHECK with a weight (value × weight, a delta added to
// the real server's configured weight, keepalived's track_file semantics).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ulvs::check {

struct ProbeResult {
  bool ok = false;
  std::optional<int64_t> weight;   // dynamic checkers only
  bool weight_is_delta = false;    // FILE_CHECK: add to the configured weight
  std::string message;
  // The check could not be made (keepalived's connect_error: bind, SO_MARK or
  // SO_BINDTODEVICE failed, or connect() gave an errno that says nothing about the server):
  // no verdict, the next attempt comes after delay_loop.
  bool no_verdict = false;

  static ProbeResult up(std::string msg = "ok") { return {true, std::nullopt, false, std::move(msg)}; }
  static ProbeResult down(std::string msg) { return {false, std::nullopt, false, std::move(msg)}; }
  static ProbeResult unusable(std::string msg) { return {false, std::nullopt, false, std::move(msg), true}; }
};

}  // namespace ulvs::check
