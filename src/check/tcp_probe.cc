#include "check/tcp_probe.h"

#include "check/net_io.h"
#include "check/probe.h"

namespace ulvs::check {

ProbeResult probe_tcp(const config::Checker& c, const net::Endpoint& to, const Deadline& d) {
  Fd fd;
  if (auto failed = connect_stream(c, to, d, fd)) return *failed;
  return ProbeResult::up("connected to " + to.str());
}

}  // namespace ulvs::check
