// ping_probe.h — PING_CHECK: one ICMP (IPv4) / ICMPv6 echo request; up iff the echo reply
// arrives before the deadline.  Uses an unprivileged ping socket (SOCK_DGRAM, needs
// net.ipv4.ping_group_range) and falls back to a raw socket (CAP_NET_RAW).  Like keepalived
// it ignores the checker's bindto / bind_port / bind_if / fwmark (the socket is not bound).
//
//   ProbeResult r = probe_ping(checker, *net::Addr::parse("127.0.0.1"), Deadline::after(1000));
#pragma once

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

ProbeResult probe_ping(const config::Checker& c, const net::Addr& to, const Deadline& d);

}  // namespace ulvs::check
