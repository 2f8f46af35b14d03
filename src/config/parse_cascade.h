// parse_cascade.h — settings that cascade virtual_server → real_server → checker (spec §7.4–7.6).
//
// Each level records what it set explicitly; `over(child, parent)` gives the child's
// effective values (its own where set, the parent's otherwise).
//
//   Cascade eff = over(rs_set, vs_set);                 // the real server's view
//   TimeMs loop = eff.delay_loop.value_or(60000);       // the spec's default at the bottom
#pragma once

#include <optional>
#include <string>

#include "config/keepalived_model.h"

namespace ulvs::config {

// lb_kind / lvs_method with its tunnel options.
struct FwdSpec {
  ipvs::Fwd fwd = ipvs::Fwd::Masq;
  ipvs::TunType tun_type = ipvs::TunType::Ipip;
  uint16_t tun_port = 0;
  uint16_t tun_flags = 0;
};

struct Cascade {
  std::optional<TimeMs> delay_loop, connect_timeout, delay_before_retry, warmup;
  std::optional<int> retry;
  std::optional<bool> alpha, inhibit_on_failure, log_all_failures;
  std::optional<int32_t> weight;
  std::optional<FwdSpec> fwd;
  std::optional<std::string> virtualhost;
};

inline Cascade over(const Cascade& c, const Cascade& p) {
  Cascade r;
  r.delay_loop = c.delay_loop ? c.delay_loop : p.delay_loop;
  r.connect_timeout = c.connect_timeout ? c.connect_timeout : p.connect_timeout;
  r.delay_before_retry = c.delay_before_retry ? c.delay_before_retry : p.delay_before_retry;
  r.warmup = c.warmup ? c.warmup : p.warmup;
  r.retry = c.retry ? c.retry : p.retry;
  r.alpha = c.alpha ? c.alpha : p.alpha;
  r.inhibit_on_failure = c.inhibit_on_failure ? c.inhibit_on_failure : p.inhibit_on_failure;
  r.log_all_failures = c.log_all_failures ? c.log_all_failures : p.log_all_failures;
  r.weight = c.weight ? c.weight : p.weight;
  r.fwd = c.fwd ? c.fwd : p.fwd;
  r.virtualhost = c.virtualhost ? c.virtualhost : p.virtualhost;
  return r;
}

}  // namespace ulvs::config
