// frame.cc — parse_frame: Ethernet → VLANs → ARP | IPv4 | IPv6 → TCP | UDP | SCTP | ICMP.
#include "net/frame.h"

#include "net/arp.h"
#include "net/ether.h"
#include "net/icmp.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/tcp.h"
#include "net/udp.h"

namespace ulvs::net {
namespace {

constexpr size_t kSctpCommonHeaderLen = 12;

// Offset of `sub` inside `whole` (sub is always a subspan of whole here).
uint32_t offset_in(std::span<uint8_t> whole, std::span<uint8_t> sub) {
  return uint32_t(sub.data() - whole.data());
}

bool has_ports(uint8_t proto) {
  return proto == ipproto::Tcp || proto == ipproto::Udp || proto == ipproto::Sctp;
}

void set_payload(ParsedFrame& f, std::span<uint8_t> frame, std::span<uint8_t> payload) {
  f.payload_offset = offset_in(frame, payload);
  f.payload_len = uint32_t(payload.size());
}

// The packet quoted by an ICMP error; only its headers matter (and only the first 8 bytes of
// its L4 header are guaranteed to be there).
void parse_quoted(std::span<uint8_t> frame, std::span<uint8_t> bytes, Family family,
                  QuotedPacket& q) {
  std::span<uint8_t> l4;
  if (family == Family::V4) {
    auto ip = Ipv4View::parse_quoted(bytes);
    if (!ip) return void(q.error = ip.error());
    q.src = ip->src();
    q.dst = ip->dst();
    q.l4_proto = ip->protocol();
    q.is_fragment = ip->frag_offset() != 0;
    l4 = ip->payload();
  } else {
    auto ip = Ipv6View::parse_quoted(bytes);
    if (!ip) return void(q.error = ip.error());
    q.src = ip->src();
    q.dst = ip->dst();
    q.l4_proto = ip->upper_protocol();
    q.is_fragment = ip->frag_offset() != 0;
    l4 = ip->payload();
  }
  q.l3_offset = offset_in(frame, bytes);
  q.l4_offset = offset_in(frame, l4);
  if (!q.is_fragment && has_ports(q.l4_proto) && l4.size() >= 4) {
    q.src_port = load16(&l4[0]);
    q.dst_port = load16(&l4[2]);
    q.has_ports = true;
  }
  q.present = true;
}

ParseError parse_l4(std::span<uint8_t> frame, std::span<uint8_t> l4, ParsedFrame& f) {
  f.l4_offset = offset_in(frame, l4);
  switch (f.l4_proto) {
    case ipproto::Tcp: {
      auto tcp = TcpView::parse(l4);
      if (!tcp) return tcp.error();
      f.src_port = tcp->src_port();
      f.dst_port = tcp->dst_port();
      f.tcp_flags = tcp->flags();
      f.tcp_seq = tcp->seq();
      f.tcp_ack = tcp->ack_seq();
      set_payload(f, frame, tcp->payload());
      return ParseError::None;
    }
    case ipproto::Udp: {
      auto udp = UdpView::parse(l4);
      // A first fragment holds the start of a datagram whose length field counts it whole.
      if (!udp && udp.error() == ParseError::Truncated && f.is_fragment && l4.size() >= UdpView::kHeaderLen) {
        f.src_port = load16(&l4[0]);
        f.dst_port = load16(&l4[2]);
        set_payload(f, frame, l4.subspan(UdpView::kHeaderLen));
        return ParseError::None;
      }
      if (!udp) return udp.error();
      f.src_port = udp->src_port();
      f.dst_port = udp->dst_port();
      set_payload(f, frame, udp->payload());
      return ParseError::None;
    }
    case ipproto::Sctp:
      if (l4.size() < kSctpCommonHeaderLen) return ParseError::Truncated;
      f.src_port = load16(&l4[0]);
      f.dst_port = load16(&l4[2]);
      set_payload(f, frame, l4.subspan(kSctpCommonHeaderLen));
      return ParseError::None;
    case ipproto::Icmp:
    case ipproto::Icmpv6: {
      Family fam = f.family();
      if ((fam == Family::V4) != (f.l4_proto == ipproto::Icmp)) break;  // ICMP of the other IP
      auto icmp = IcmpView::parse(l4, fam);
      if (!icmp) return icmp.error();
      f.icmp_type = icmp->type();
      f.icmp_code = icmp->code();
      set_payload(f, frame, icmp->payload());
      if (icmp->is_error()) parse_quoted(frame, icmp->payload(), fam, f.inner);
      return ParseError::None;
    }
    default:
      break;
  }
  set_payload(f, frame, l4);
  return ParseError::None;
}

ParseError parse_ipv4(std::span<uint8_t> frame, std::span<uint8_t> bytes, ParsedFrame& f) {
  f.l3 = L3::Ipv4;
  auto ip = Ipv4View::parse(bytes);
  if (!ip) return ip.error();
  f.l3_len = ip->total_len();
  f.src = ip->src();
  f.dst = ip->dst();
  f.ttl = ip->ttl();
  f.l4_proto = ip->protocol();
  f.is_fragment = ip->is_fragment();
  f.first_fragment = ip->frag_offset() == 0;
  if (ip->frag_offset() != 0) {  // no L4 header in this piece
    set_payload(f, frame, ip->payload());
    return ParseError::None;
  }
  return parse_l4(frame, ip->payload(), f);
}

ParseError parse_ipv6(std::span<uint8_t> frame, std::span<uint8_t> bytes, ParsedFrame& f) {
  f.l3 = L3::Ipv6;
  auto ip = Ipv6View::parse(bytes);
  if (!ip) return ip.error();
  f.src = ip->src();
  f.dst = ip->dst();
  f.ttl = ip->hop_limit();
  f.l3_len = uint32_t(ip->bytes().size());
  f.l4_proto = ip->upper_protocol();
  f.is_fragment = ip->is_fragment();
  f.first_fragment = ip->frag_offset() == 0;
  if (ip->frag_offset() != 0) {
    set_payload(f, frame, ip->payload());
    return ParseError::None;
  }
  return parse_l4(frame, ip->payload(), f);
}

ParseError parse_arp(std::span<uint8_t> bytes, ParsedFrame& f) {
  f.l3 = L3::Arp;
  auto arp = ArpView::parse(bytes);
  if (!arp) return arp.error();
  f.l3_len = ArpView::kLen;
  f.src = arp->sender_ip();
  f.dst = arp->target_ip();
  return ParseError::None;
}

}  // namespace

ParsedFrame parse_frame(std::span<uint8_t> frame) {
  ParsedFrame f;
  auto eth = EtherView::parse(frame);
  if (!eth) {
    f.error = eth.error();
    return f;
  }
  f.vlan_count = uint8_t(eth->vlan_count());
  for (int i = 0; i < eth->vlan_count(); ++i) f.vlan_ids[i] = eth->vlan_id(i);
  f.ethertype = eth->ethertype();
  f.l3_offset = uint32_t(eth->header_len());
  std::span<uint8_t> l3 = eth->payload();
  switch (f.ethertype) {
    case ethertype::Ipv4: f.error = parse_ipv4(frame, l3, f); break;
    case ethertype::Ipv6: f.error = parse_ipv6(frame, l3, f); break;
    case ethertype::Arp: f.error = parse_arp(l3, f); break;
    default: f.l3 = L3::Other; break;
  }
  return f;
}

ParsedFrame parse_ip_packet(std::span<uint8_t> packet) {
  ParsedFrame f;
  if (packet.empty()) {
    f.error = ParseError::Truncated;
    return f;
  }
  switch (packet[0] >> 4) {
    case 4: f.error = parse_ipv4(packet, packet, f); break;
    case 6: f.error = parse_ipv6(packet, packet, f); break;
    default: f.error = ParseError::BadVersion; break;
  }
  return f;
}

}  // namespace ulvs::net
