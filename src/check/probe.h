// probe.h — run ONE attempt of any checker type against a real server.
//
//   config::Checker c;  c.type = config::Checker::Http;  c.urls.push_back({.path = "/"});
//   auto rs = *net::Endpoint::parse("10.0.0.2:80");
//   std::atomic<bool> stop{false};
//   check::ProbeResult r = check::run_probe(c, rs, &stop);   // blocks ≤ the checker's timeout
//
// The per-type probes live in tcp_probe.h, http_probe.h, ssl_probe.h, misc_probe.h,
// dns_probe.h, smtp_probe.h, udp_probe.h, ping_probe.h, file_probe.h.
#pragma once

#include <atomic>
#include <optional>

#include "check/deadline.h"
#include "check/net_io.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"
#include "net/addr.h"

namespace ulvs::check {

// connect_ip / connect_port applied over the real server's address:port.
net::Endpoint probe_target(const config::Checker& c, const net::Endpoint& rs);
// The checker's bindto / bind_port / bind_if / fwmark.
BindOptions bind_options(const config::Checker& c);
// How long one attempt may take: misc_timeout (0 → delay_loop) for MISC_CHECK,
// connect_timeout for the others.
int64_t probe_timeout_ms(const config::Checker& c);

// The stream connection of a TCP, HTTP, SSL or SMTP check, as keepalived's
// socket_bind_connect makes it: nullopt with `fd` connected, or the attempt's result.  A
// refused, unreachable, reset or timed-out connection is a failure; a socket that cannot be
// set up (bind, SO_MARK, SO_BINDTODEVICE) or any other connect errno gives no verdict.
std::optional<ProbeResult> connect_stream(const config::Checker& c, const net::Endpoint& to,
                                          const Deadline& d, Fd& fd);

// One attempt of `c` against real server `rs`; gives up early when *cancel turns true.
ProbeResult run_probe(const config::Checker& c, const net::Endpoint& rs,
                      const std::atomic<bool>* cancel = nullptr);

}  // namespace ulvs::check
