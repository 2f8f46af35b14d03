#include "check/tcp_probe.h"

#include "check/net_io.h"
#include "check/probe.h"

namespace ulvs::check {

ProbeResult probe_tcp(const config::Checker& c, const net::Endpoint& to, const Deadline& d) {
  std::string err;
  Fd fd = open_socket(to.addr.family, SOCK_STREAM, 0, bind_options(c), err);
  if (!fd) return ProbeResult::down(err);
  if (!connect_within(fd.get(), to, d, err)) return ProbeResult::down(to.str() + ": " + err);
  return ProbeResult::up("connected to " + to.str());
}

}  // namespace ulvs::check
