// carry.h — what a reload carries over from the running configuration to the new one
// (keepalived's clear_diff_rs + migrate_checkers): a real server that is in both keeps its
// health, checker by checker, so a reload neither re-adds a dead server nor drops a live one.
//
//   for (const check::Carry& c : check::plan_carry(old_cfg, new_cfg))
//     runner.carry(c.to, old_pool.alive(c.from.rs), old_states_for(c));  // check_runner.h
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

bool same_virtual_server(const config::VirtualServer& a, const config::VirtualServer& b);
bool same_check(const config::Checker& a, const config::Checker& b);

// Every real server of `now` that `old` has too, with its checkers matched.
std::vector<Carry> plan_carry(const config::KeepalivedConfig& old, const config::KeepalivedConfig& now);

}  // namespace ulvs::check
