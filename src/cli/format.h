// format.h — every listing ipvsadm prints (spec §2), byte for byte, from ctl Replies.
//
// `format` is a set of fmt:: flags from options.h (numeric, stats, rate, exact, rule = -S,
// ...).  Output includes the trailing spaces of left-justified last columns, as ipvsadm's.
//
//   format_list(reply.info, reply.services, fmt::kNumeric)
//   // "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n..."
//   format_largenum(123456789, 0)   // "  123456K"
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctl/model.h"

namespace ulvs::cli {

// The whole table (-L, -S): header (not for -S), title, services sorted unless fmt::kNoSort.
std::string format_list(const ctl::Info& info, std::vector<ctl::ServiceInfo> services,
                        unsigned format);
// One service (-L -t ...): title and the service, no header.
std::string format_one(const ctl::ServiceInfo& service, unsigned format);

std::string format_timeouts(const ctl::Timeouts& t);
std::string format_daemons(const std::vector<ctl::SyncDaemon>& daemons);
std::string format_conns(const std::vector<ctl::ConnInfo>& conns, unsigned format);

// The 9-character number column of --stats/--rate (K/M/G/T unless fmt::kExact).
std::string format_largenum(uint64_t value, unsigned format);

}  // namespace ulvs::cli
