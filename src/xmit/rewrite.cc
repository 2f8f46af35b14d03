// rewrite.cc — address/port rewriting with incremental checksum updates.
#include "xmit/rewrite.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "net/checksum.h"
#include "net/wire.h"
#include "xmit/frame_ref.h"

namespace ulvs::xmit {
namespace {

using net::Addr;
using net::Endpoint;
using net::Family;

// The L4 checksum field of a TCP/UDP header, if the bytes hold it.
struct L4Sum {
  uint8_t* field = nullptr;  // nullptr: not present (short quote) — nothing to patch
  bool udp = false;

  uint16_t get() const { return net::load16(field); }
  void replace_addr(const Addr& o, const Addr& n) const {
    if (!field) return;
    net::store16(field, udp ? net::udp_csum_replace_addr(get(), o, n) : net::csum_replace_addr(get(), o, n));
  }
  void replace16(uint16_t o, uint16_t n) const {
    if (!field) return;
    net::store16(field, udp ? net::udp_csum_replace16(get(), o, n) : net::csum_replace16(get(), o, n));
  }
};

L4Sum l4_sum(uint8_t proto, std::span<uint8_t> l4) {
  if (proto == net::ipproto::Tcp && l4.size() >= 18) return {&l4[16], false};
  if (proto == net::ipproto::Udp && l4.size() >= 8) return {&l4[6], true};
  return {};
}

// One side (source or destination) of an IP header plus its L4 header.
// `l4` may be shorter than a full header (an ICMP quote): ports need its first 4 bytes.
void rewrite_side(std::span<uint8_t> ip, Family fam, std::span<uint8_t> l4, const L4Sum& sum,
                  Side side, const Addr* addr, const uint16_t* port) {
  if (addr) {
    Addr old = read_addr(ip, fam, side);
    if (fam == Family::V4) net::store16(&ip[10], net::csum_replace_addr(net::load16(&ip[10]), old, *addr));
    sum.replace_addr(old, *addr);
    write_addr(ip, side, *addr);
  }
  if (port && l4.size() >= 4) {
    uint8_t* p = &l4[side == Side::Src ? 0 : 2];
    sum.replace16(net::load16(p), *port);
    net::store16(p, *port);
  }
}

bool family_ok(Family f, const Addr* a) { return !a || a->family == f; }

}  // namespace

Status rewrite_flow(PacketBuf& buf, const net::ParsedFrame& p, const Endpoint* src,
                    const Endpoint* dst) {
  auto r = locate_ip(buf.bytes(), p);
  if (!r) return Status::Malformed;
  if (!family_ok(r->fam, src ? &src->addr : nullptr) || !family_ok(r->fam, dst ? &dst->addr : nullptr))
    return Status::Unsupported;
  L4Sum sum;
  if (p.has_l4()) {
    if (p.l4_proto != net::ipproto::Tcp && p.l4_proto != net::ipproto::Udp) return Status::Unsupported;
    size_t need = p.l4_proto == net::ipproto::Tcp ? 20 : 8;
    if (r->l4.size() < need) return Status::Malformed;
    sum = l4_sum(p.l4_proto, r->l4);
  } else if (!p.is_fragment) {
    return Status::Unsupported;
  }
  rewrite_side(r->ip, r->fam, r->l4, sum, Side::Src, src ? &src->addr : nullptr, src ? &src->port : nullptr);
  rewrite_side(r->ip, r->fam, r->l4, sum, Side::Dst, dst ? &dst->addr : nullptr, dst ? &dst->port : nullptr);
  return Status::Ok;
}

Status rewrite_icmp_error(PacketBuf& buf, const net::ParsedFrame& p, const IcmpRewrite& rw) {
  auto r = locate_ip(buf.bytes(), p);
  if (!r) return Status::Malformed;
  const net::QuotedPacket& q = p.inner;
  uint8_t icmp_proto = r->fam == Family::V4 ? net::ipproto::Icmp : net::ipproto::Icmpv6;
  if (p.l4_proto != icmp_proto || !q.present) return Status::Unsupported;
  for (const Addr* a : {rw.outer_src, rw.outer_dst, rw.inner_src ? &rw.inner_src->addr : nullptr,
                        rw.inner_dst ? &rw.inner_dst->addr : nullptr})
    if (!family_ok(r->fam, a)) return Status::Unsupported;
  if (q.l4_proto != net::ipproto::Tcp && q.l4_proto != net::ipproto::Udp) return Status::Unsupported;
  if (!q.has_ports) return Status::Unsupported;

  // The quoted packet, checked against the outer one: ICMP header (8) then the quoted IP header.
  std::span<uint8_t> icmp = r->l4;
  size_t il3 = q.l3_offset - p.l4_offset, il4 = q.l4_offset - p.l4_offset;
  if (q.l3_offset < p.l4_offset || il3 != 8 || il4 < il3 || il4 + 4 > icmp.size()) return Status::Malformed;
  std::span<uint8_t> inner_ip = icmp.subspan(il3, il4 - il3);
  size_t fixed = r->fam == Family::V4 ? inner_ip.size() : 40;  // where the addresses are
  if (inner_ip.size() < (r->fam == Family::V4 ? 20u : 40u) || fixed > 60) return Status::Malformed;
  std::span<uint8_t> inner_l4 = icmp.subspan(il4);
  size_t l4_patch = std::min<size_t>(inner_l4.size(), 20) & ~size_t(1);  // even: whole words

  // Snapshot what may change, so the ICMP checksum can be patched by the difference.
  std::array<uint8_t, 60> old_ip{};
  std::array<uint8_t, 20> old_l4{};
  std::memcpy(old_ip.data(), inner_ip.data(), fixed);
  std::memcpy(old_l4.data(), inner_l4.data(), l4_patch);

  L4Sum inner_sum = l4_sum(q.l4_proto, inner_l4);
  rewrite_side(inner_ip, r->fam, inner_l4, inner_sum, Side::Src, rw.inner_src ? &rw.inner_src->addr : nullptr,
               rw.inner_src ? &rw.inner_src->port : nullptr);
  rewrite_side(inner_ip, r->fam, inner_l4, inner_sum, Side::Dst, rw.inner_dst ? &rw.inner_dst->addr : nullptr,
               rw.inner_dst ? &rw.inner_dst->port : nullptr);

  uint16_t c = net::load16(&icmp[2]);
  c = net::csum_replace_bytes(c, {old_ip.data(), fixed}, inner_ip.first(fixed));
  c = net::csum_replace_bytes(c, {old_l4.data(), l4_patch}, inner_l4.first(l4_patch));
  net::store16(&icmp[2], c);

  // The outer addresses: ICMPv6 has them in its pseudo-header, ICMPv4 does not.
  L4Sum outer_sum = r->fam == Family::V6 ? L4Sum{&icmp[2], false} : L4Sum{};
  rewrite_side(r->ip, r->fam, {}, outer_sum, Side::Src, rw.outer_src, nullptr);
  rewrite_side(r->ip, r->fam, {}, outer_sum, Side::Dst, rw.outer_dst, nullptr);
  return Status::Ok;
}

}  // namespace ulvs::xmit
