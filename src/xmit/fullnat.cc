// fullnat.cc — FULLNAT is rewrite_flow on both sides.
#include "xmit/fullnat.h"

#include "xmit/rewrite.h"

namespace ulvs::xmit {

Status fullnat_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c,
                  const net::Addr& laddr) {
  net::Endpoint local{laddr, c.lport}, rs{c.real(), c.dport};
  return rewrite_flow(buf, p, &local, &rs);
}

Status fullnat_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c,
                   const net::Addr& laddr) {
  net::Endpoint vs{c.vip(), c.vport}, client{c.client(), c.cport};
  return rewrite_flow(buf, p, &vs, &client);
}

Status fullnat_icmp_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c,
                       const net::Addr& laddr) {
  net::Endpoint local{laddr, c.lport}, rs{c.real(), c.dport};
  return rewrite_icmp_error(buf, p, {.outer_src = &laddr, .outer_dst = &rs.addr,
                                     .inner_src = &rs, .inner_dst = &local});
}

Status fullnat_icmp_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c,
                        const net::Addr& laddr) {
  net::Endpoint vs{c.vip(), c.vport}, client{c.client(), c.cport};
  net::Addr caddr = c.client();
  return rewrite_icmp_error(buf, p, {.outer_src = &vs.addr, .outer_dst = &caddr,
                                     .inner_src = &client, .inner_dst = &vs});
}

}  // namespace ulvs::xmit
