// nat.cc — NAT is rewrite_flow with the connection's endpoints.
#include "xmit/nat.h"

#include "xmit/rewrite.h"

namespace ulvs::xmit {

Status nat_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c) {
  net::Endpoint rs{c.real(), c.dport};
  return rewrite_flow(buf, p, nullptr, &rs);
}

Status nat_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c) {
  net::Endpoint vs{c.vip(), c.vport};
  return rewrite_flow(buf, p, &vs, nullptr);
}

Status nat_icmp_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c) {
  net::Endpoint rs{c.real(), c.dport};
  return rewrite_icmp_error(buf, p, {.outer_dst = &rs.addr, .inner_src = &rs});
}

Status nat_icmp_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c) {
  net::Endpoint vs{c.vip(), c.vport};
  return rewrite_icmp_error(buf, p, {.outer_src = &vs.addr, .inner_dst = &vs});
}

}  // namespace ulvs::xmit
