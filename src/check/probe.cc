#include "check/probe.h"

#include <cerrno>

#include "check/dns_probe.h"
#include "check/file_probe.h"
#include "check/http_probe.h"
#include "check/misc_probe.h"
#include "check/ping_probe.h"
#include "check/smtp_probe.h"
#include "check/ssl_probe.h"
#include "check/tcp_probe.h"
#include "check/udp_probe.h"

namespace ulvs::check {

net::Endpoint probe_target(const config::Checker& c, const net::Endpoint& rs) {
  net::Endpoint ep = rs;
  if (c.connect_ip) ep.addr = *c.connect_ip;
  if (c.connect_port) ep.port = c.connect_port;
  return ep;
}

BindOptions bind_options(const config::Checker& c) {
  return BindOptions{c.bindto, c.bind_port, c.bind_if, c.fwmark};
}

// The connect errnos keepalived's socket_state / socket_connect take as the server's answer.
static bool says_something_about_the_server(int e) {
  switch (e) {
    case ENETUNREACH: case EHOSTUNREACH: case ECONNREFUSED: case EHOSTDOWN: case ENETDOWN:
    case ECONNRESET: case ECONNABORTED: case ETIMEDOUT:
      return true;
    default:
      return false;
  }
}

std::optional<ProbeResult> connect_stream(const config::Checker& c, const net::Endpoint& to,
                                          const Deadline& d, Fd& fd) {
  std::string err;
  fd = open_socket(to.addr.family, SOCK_STREAM, 0, bind_options(c), err);
  if (!fd) return ProbeResult::unusable(err);
  int e = 0;
  if (connect_within(fd.get(), to, d, err, &e)) return std::nullopt;
  // keepalived's socket_state: any error after EINPROGRESS is the server's answer.
  if (e == 0 || says_something_about_the_server(e)) return ProbeResult::down(to.str() + ": " + err);
  return ProbeResult::unusable(to.str() + ": " + err);
}

int64_t probe_timeout_ms(const config::Checker& c) {
  if (c.type == config::Checker::Misc) return c.misc_timeout > 0 ? c.misc_timeout : c.delay_loop;
  return c.connect_timeout;
}

ProbeResult run_probe(const config::Checker& c, const net::Endpoint& rs,
                      const std::atomic<bool>* cancel) {
  const net::Endpoint to = probe_target(c, rs);
  const Deadline d = Deadline::after(probe_timeout_ms(c), cancel);
  switch (c.type) {
    case config::Checker::Tcp: return probe_tcp(c, to, d);
    case config::Checker::Http: return probe_http(c, to, d);
    case config::Checker::Ssl: return probe_ssl(c, to, d);
    case config::Checker::Misc: return probe_misc(c, d);
    case config::Checker::Dns: return probe_dns(c, to, d);
    case config::Checker::Smtp: return probe_smtp(c, to, d);
    case config::Checker::Udp: return probe_udp(c, to, d);
    case config::Checker::Ping: return probe_ping(c, to.addr, d);
    case config::Checker::File: return probe_file(c);
  }
  return ProbeResult::down("unknown checker type");
}

}  // namespace ulvs::check
