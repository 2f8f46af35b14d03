// tun.cc — IPIP, GUE and GRE encapsulation, and decapsulation.
#include "xmit/tun.h"

#include <algorithm>
#include <cstring>

#include "net/checksum.h"
#include "net/ether.h"
#include "net/wire.h"
#include "xmit/frame_ref.h"

namespace ulvs::xmit {
namespace {

using net::Family;

constexpr size_t kUdpLen = 8;
constexpr uint32_t kIpv4MinMtu = 68;
constexpr uint32_t kIpv6MinMtu = 1280;

size_t ip_header_len(Family f) { return f == Family::V4 ? 20 : 40; }
uint8_t inner_proto(Family f) { return f == Family::V4 ? net::ipproto::IpIp : net::ipproto::Ipv6; }

// The inner header fields the outer header copies.
struct Inner {
  uint8_t tos, ttl;
  bool df;
};
Inner inner_fields(std::span<const uint8_t> ip, Family f) {
  if (f == Family::V4) return {ip[1], ip[8], (ip[6] & 0x40) != 0};
  return {uint8_t(net::load16(&ip[0]) >> 4), ip[7], false};
}

// A UDP source port from the inner flow (as udp_flow_src_port does), so that ECMP and RSS on
// the way to the real server spread tunnels like the flows inside them.  49152..65535.
uint16_t flow_port(const net::ParsedFrame& p) {
  uint32_t h = p.src.fold() * 0x9e3779b1u ^ p.dst.fold();
  h = (h ^ (uint32_t(p.src_port) << 16 | p.dst_port) ^ p.l4_proto) * 0x85ebca6bu;
  h ^= h >> 16;
  return uint16_t(0xc000 | (h & 0x3fff));
}

void write_ipv4(uint8_t* o, const TunParams& t, const Inner& in, uint8_t proto, size_t total) {
  o[0] = 0x45;
  o[1] = in.tos;
  net::store16(&o[2], uint16_t(total));
  net::store16(&o[4], t.ip_id);
  net::store16(&o[6], in.df ? 0x4000 : 0);
  o[8] = in.ttl;
  o[9] = proto;
  net::store16(&o[10], 0);
  std::memcpy(&o[12], t.local.bytes.data(), 4);
  std::memcpy(&o[16], t.real.bytes.data(), 4);
  net::store16(&o[10], net::ipv4_header_checksum({o, 20}));
}

void write_ipv6(uint8_t* o, const TunParams& t, const Inner& in, uint8_t proto, size_t payload) {
  net::store32(&o[0], 0x60000000u | uint32_t(in.tos) << 20);
  net::store16(&o[4], uint16_t(payload));
  o[6] = proto;
  o[7] = in.ttl;
  std::memcpy(&o[8], t.local.bytes.data(), 16);
  std::memcpy(&o[24], t.real.bytes.data(), 16);
}

// UDP + GUE header (version 0, no control bit, no extension words, proto = inner).
void write_gue(uint8_t* u, const TunParams& t, uint16_t sport, uint8_t proto, size_t inner_len) {
  size_t len = kUdpLen + kGueHeaderLen + inner_len;
  net::store16(&u[0], sport);
  net::store16(&u[2], t.port);
  net::store16(&u[4], uint16_t(len));
  net::store16(&u[6], 0);
  u[8] = 0;
  u[9] = proto;
  net::store16(&u[10], 0);
  // IPv6 forbids a zero UDP checksum unless the receiver opted in (RFC 6936): always fill it.
  if ((t.flags & tun_flag::kCsum) || t.real.is_v6())
    net::store16(&u[6], net::udp_checksum(t.local, t.real, {u, len}));
}

// GRE version 0: flags (C = checksum present), protocol = the inner ethertype.
void write_gre(uint8_t* g, const TunParams& t, Family inner, size_t inner_len) {
  bool csum = t.flags & tun_flag::kCsum;
  g[0] = csum ? 0x80 : 0;
  g[1] = 0;
  net::store16(&g[2], inner == Family::V4 ? net::ethertype::Ipv4 : net::ethertype::Ipv6);
  if (!csum) return;
  net::store32(&g[4], 0);  // checksum + reserved1
  size_t len = 2 * kGreHeaderLen + inner_len;
  net::store16(&g[4], net::internet_checksum({g, len}));
}

size_t gre_len(uint16_t flags) { return kGreHeaderLen * (flags & tun_flag::kCsum ? 2 : 1); }

// The MTU check of ip_vs_tunnel_xmit: Ok to send, or the result to return.
TunResult check_mtu(size_t inner_len, size_t overhead, Family inner, bool df, uint32_t mtu) {
  if (inner_len + overhead <= mtu) return {};
  uint32_t room = mtu > overhead ? uint32_t(mtu - overhead) : 0;
  if (inner == Family::V6) {
    uint32_t report = std::max(room, kIpv6MinMtu);  // IPv6 never reports below its minimum
    if (inner_len > report) return {Status::FragNeeded, report};
    return {Status::MustFragment, 0};
  }
  if (!df) return {Status::MustFragment, 0};
  if (room < kIpv4MinMtu) return {Status::MtuExceeded, 0};
  return {Status::FragNeeded, room};
}

void set_ethertype(PacketBuf& buf, size_t l3_offset, Family f) {
  if (l3_offset >= net::EtherView::kHeaderLen)
    net::store16(buf.data() + l3_offset - 2, f == Family::V4 ? net::ethertype::Ipv4 : net::ethertype::Ipv6);
}

}  // namespace

size_t tun_overhead(Family outer, ipvs::TunType type, uint16_t flags) {
  switch (type) {
    case ipvs::TunType::Ipip: return ip_header_len(outer);
    case ipvs::TunType::Gue: return ip_header_len(outer) + kUdpLen + kGueHeaderLen;
    case ipvs::TunType::Gre: return ip_header_len(outer) + gre_len(flags);
  }
  return 0;
}

TunResult tun_xmit(PacketBuf& buf, const net::ParsedFrame& p, const TunParams& t) {
  auto r = locate_ip(buf.bytes(), p);
  if (!r) return {Status::Malformed};
  bool known = t.type == ipvs::TunType::Ipip || t.type == ipvs::TunType::Gue || t.type == ipvs::TunType::Gre;
  if (!known || (t.flags & tun_flag::kRemCsum) || t.real.family != t.local.family) return {Status::Unsupported};
  Family outer = t.real.family;
  size_t overhead = tun_overhead(outer, t.type, t.flags), inner_len = r->ip.size(), l3 = r->l3_offset;
  Inner in = inner_fields(r->ip, r->fam);
  if (inner_len + overhead > 0xffff + (outer == Family::V6 ? 40u : 0u)) return {Status::MtuExceeded};
  TunResult res = check_mtu(inner_len, overhead, r->fam, in.df, t.mtu);
  if (res.status != Status::Ok && res.status != Status::MustFragment) return res;
  if (buf.headroom() < overhead) return {Status::NoRoom};

  buf.trim(l3 + inner_len);  // Ethernet padding would end up inside the tunnel
  buf.push_front(overhead);
  std::memmove(buf.data(), buf.data() + overhead, l3);  // Ethernet header and tags to the front
  set_ethertype(buf, l3, outer);
  uint8_t* o = buf.data() + l3;
  uint8_t proto = t.type == ipvs::TunType::Gue   ? net::ipproto::Udp
                  : t.type == ipvs::TunType::Gre ? net::ipproto::Gre
                                                 : inner_proto(r->fam);
  size_t ip_len = ip_header_len(outer);
  if (outer == Family::V4)
    write_ipv4(o, t, in, proto, overhead + inner_len);
  else
    write_ipv6(o, t, in, proto, overhead - ip_len + inner_len);
  if (t.type == ipvs::TunType::Gue) write_gue(o + ip_len, t, flow_port(p), inner_proto(r->fam), inner_len);
  if (t.type == ipvs::TunType::Gre) write_gre(o + ip_len, t, r->fam, inner_len);
  return res;
}

Status tun_decap(PacketBuf& buf, uint16_t gue_port) {
  net::ParsedFrame p = net::parse_frame(buf.bytes());
  auto r = locate_ip(buf.bytes(), p);
  if (!r) return Status::Malformed;
  if (!p.has_l4() || p.is_fragment) return Status::Unsupported;  // reassemble first
  size_t inner;  // offset of the inner packet in r->ip
  uint8_t proto = p.l4_proto;
  if (proto == net::ipproto::IpIp || proto == net::ipproto::Ipv6) {
    inner = r->hl;
  } else if (proto == net::ipproto::Gre) {
    std::span<const uint8_t> g = r->l4;
    if (g.size() < kGreHeaderLen) return Status::Malformed;
    if ((g[0] & 0x40) || (g[1] & 0x07)) return Status::Unsupported;  // routing, version ≠ 0
    inner = r->hl + kGreHeaderLen + 4 * (((g[0] & 0x80) != 0) + ((g[0] & 0x20) != 0) + ((g[0] & 0x10) != 0));
    uint16_t type = net::load16(&g[2]);
    proto = type == net::ethertype::Ipv4 ? net::ipproto::IpIp : type == net::ethertype::Ipv6 ? net::ipproto::Ipv6 : 0;
  } else if (proto == net::ipproto::Udp && gue_port && p.dst_port == gue_port) {
    std::span<const uint8_t> g = r->l4.subspan(kUdpLen);
    if (g.size() < kGueHeaderLen) return Status::Malformed;
    if (g[0] >> 6 == 1) {  // GUE variant 1: the IP header follows the UDP header directly
      inner = r->hl + kUdpLen;
      proto = (g[0] >> 4) == 4 ? net::ipproto::IpIp : net::ipproto::Ipv6;
    } else if (g[0] >> 5 == 0) {  // variant 0, data (C = 0)
      inner = r->hl + kUdpLen + kGueHeaderLen + size_t(g[0] & 0x1f) * 4;
      proto = g[1];
    } else {
      return Status::Unsupported;  // control message or unknown variant
    }
  } else {
    return Status::Unsupported;
  }
  if (proto != net::ipproto::IpIp && proto != net::ipproto::Ipv6) return Status::Unsupported;
  Family fam = proto == net::ipproto::IpIp ? Family::V4 : Family::V6;
  if (inner >= r->ip.size() || r->ip[inner] >> 4 != (fam == Family::V4 ? 4 : 6)) return Status::Malformed;

  size_t l3 = r->l3_offset;
  buf.trim(l3 + r->ip.size());
  buf.erase(l3, inner);
  set_ethertype(buf, l3, fam);
  return Status::Ok;
}

}  // namespace ulvs::xmit
