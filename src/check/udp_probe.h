// udp_probe.h — UDP_CHECK: send `payload` on a connected UDP socket.
// Without require_reply: up unless the kernel reports ICMP port unreachable (ECONNREFUSED)
// before the deadline — so the probe takes the whole connect_timeout when all is well, as in
// keepalived.  With require_reply: a reply must arrive; its length must be within
// [min_reply_length, max_reply_length] (max 0 → keepalived's default 255) and its first
// min(len, expected) bytes must equal the expected bytes.
//
//   ProbeResult r = probe_udp(checker, *net::Endpoint::parse("10.0.0.2:53"), Deadline::after(1000));
#pragma once

#include <cstdint>
#include <vector>

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

// True when `reply` satisfies the checker's require_reply / length constraints.
bool udp_reply_ok(const config::Checker& c, const uint8_t* reply, size_t len);

ProbeResult probe_udp(const config::Checker& c, const net::Endpoint& to, const Deadline& d);

}  // namespace ulvs::check
