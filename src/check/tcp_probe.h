// tcp_probe.h — TCP_CHECK: up iff a TCP connect to connect_ip:connect_port completes before
// the deadline (the connection is then closed).  bindto / bind_port / bind_if / fwmark apply.
//
//   ProbeResult r = probe_tcp(checker, *net::Endpoint::parse("10.0.0.2:80"), Deadline::after(5000));
#pragma once

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

ProbeResult probe_tcp(const config::Checker& c, const net::Endpoint& to, const Deadline& d);

}  // namespace ulvs::check
