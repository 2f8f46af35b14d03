// carry.h — what a reload carries over from the running configuration to the new one
// (keepalived's clear_diff_rs + migrate_checkers): a real server that is in both keeps its
// health, checker by checker, so a reload neither re-adds a dead server nor drops a live one.
//
//   check::CarryPlan plan = check::plan_carry(old_cfg, new_cfg);
//   for (const check::Carry& c : plan.servers)
//     runner.carry(c.to, old_pool.alive(c.from.rs), old_states_for(c));  // check_runner.h
//   plan.vs_from[v]   // the old index of new virtual server v, if it existed
//
// Identity, as keepalived compares (ipwrapper.c vs_iseq/rs_iseq, the checkers' compare ops):
// * a virtual server is the same when its group name is (both in a group), or else its
//   services are (protocol, address, port or fwmark);
// * a real server is the same when its address and port are;
// * a checker is the same when it is of the same type and probes the same thing: every
//   setting but its timing (delay_loop, delay_before_retry, retry, warmup, connect_timeout)
//   and log_all_failures, which only change how often and how patiently it asks.
#pragma once

#include <optional>
#include <vector>

#include "check/check_runner.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

struct Carry {
  RsId from, to;  // the real server in the old and in the new configuration
  // For each checker of the new real server, the index of the same checker in the old one.
  std::vector<std::optional<size_t>> checker_from;
};

struct CarryPlan {
  std::vector<std::optional<size_t>> vs_from;  // per new virtual server: the old one it continues
  std::vector<Carry> servers;                  // every real server in both
};

bool same_virtual_server(const config::VirtualServer& a, const config::VirtualServer& b);
bool same_check(const config::Checker& a, const config::Checker& b);

// The virtual servers of `now` that `old` has too, and every real server of theirs that the
// old one had, with its checkers matched.
CarryPlan plan_carry(const config::KeepalivedConfig& old, const config::KeepalivedConfig& now);

}  // namespace ulvs::check
