// tun.h — IP tunnelling (ipvsadm -i): the client's IP packet, untouched, inside an outer
// packet from the director to the real server, which decapsulates it and answers the client
// directly.  IPIP (outer protocol 4 for an IPv4 inner packet, 41 for IPv6), GUE (outer UDP
// to the dest's --tun-port, a 4-byte GUE header version 0 naming the inner protocol) or GRE
// (protocol 47, a 4-byte header naming the inner ethertype; 8 bytes with --tun-csum).
//
//   xmit::TunParams t{.real = conn->real(), .local = my_addr, .type = dest->cfg.tun_type,
//                     .port = dest->cfg.tun_port, .flags = dest->cfg.tun_flags,
//                     .mtu = 1500, .ip_id = next_id++};
//   auto r = xmit::tun_xmit(buf, parsed, t);
//   if (r.status == xmit::Status::FragNeeded)
//     send(xmit::build_frag_needed(buf.bytes(), parsed, r.mtu));   // too_big.h
//
// The outer header follows ip_vs_tunnel_xmit: TTL and TOS/traffic class copied from the inner
// packet, DF copied from an inner IPv4 packet (clear for IPv6 inside), the caller's IP id.
// The Ethernet header (and VLAN tags) stay in front; the caller sets the MACs as for DR.
// tun_decap() is the reverse, what the ulvs-rs real-server helper does in BPF.
#pragma once

#include <cstdint>

#include "ipvs/dest.h"
#include "net/addr.h"
#include "net/frame.h"
#include "xmit/packet_buf.h"
#include "xmit/status.h"

namespace ulvs::xmit {

// DestConfig::tun_flags bits (the kernel's IP_VS_TUNNEL_ENCAP_FLAG_*; 0 = nocsum).
namespace tun_flag {
inline constexpr uint16_t kCsum = 1 << 0;     // GUE: fill in the outer UDP checksum (always
                                              // done over IPv6, where zero is not allowed);
                                              // GRE: add the GRE checksum
inline constexpr uint16_t kRemCsum = 1 << 1;  // GUE remote checksum offload: not supported
}  // namespace tun_flag

inline constexpr size_t kGueHeaderLen = 4;
inline constexpr size_t kGreHeaderLen = 4;  // + 4 with the checksum

struct TunParams {
  net::Addr real;           // outer destination; its family picks the outer IP version
  net::Addr local;          // outer source: the director's address towards the real server
  ipvs::TunType type = ipvs::TunType::Ipip;
  uint16_t port = 0;        // GUE destination port
  uint16_t flags = 0;       // tun_flag bits
  uint32_t mtu = 1500;      // egress MTU: the largest outer IP packet
  uint16_t ip_id = 0;       // outer IPv4 identification (the caller's counter)
};

struct TunResult {
  Status status = Status::Ok;
  uint32_t mtu = 0;         // FragNeeded: the next-hop MTU to report to the client
};

// Outer bytes added in front of the inner IP packet.
size_t tun_overhead(net::Family outer, ipvs::TunType type, uint16_t flags = 0);

// Encapsulates in place (needs tun_overhead() bytes of headroom; Ethernet padding is dropped).
//   FragNeeded     inner IPv4 with DF, or IPv6, does not fit: frame unchanged, answer with
//                  build_frag_needed(…, result.mtu) and drop;
//   MustFragment   encapsulated, but larger than the MTU (inner DF clear): fragment the outer
//                  packet or drop;
//   MtuExceeded    even a minimal packet would not fit the MTU: drop.
TunResult tun_xmit(PacketBuf& buf, const net::ParsedFrame& p, const TunParams& t);

// Strips an IPIP/IP6IP6 outer header, outer IP + GRE (version 0, no routing; checksum, key and
// sequence words skipped), or outer IP + UDP (to gue_port; 0 = no GUE) + GUE, and leaves the
// inner packet behind the original Ethernet header with its ethertype fixed.  Checksums of
// the outer headers are not verified (the NIC or the kernel did, or they are optional).
// A fragmented outer packet is Unsupported: it has to be reassembled first.
Status tun_decap(PacketBuf& buf, uint16_t gue_port);

}  // namespace ulvs::xmit
