// frame_ref.cc — the offset checks behind locate_ip.
#include "xmit/frame_ref.h"

#include <cstring>

#include "net/wire.h"

namespace ulvs::xmit {

net::Addr read_addr(std::span<const uint8_t> ip, net::Family f, Side s) {
  const uint8_t* p = ip.data() + addr_offset(f, s);
  return f == net::Family::V4 ? net::Addr::v4_bytes(p) : net::Addr::v6_bytes(p);
}

void write_addr(std::span<uint8_t> ip, Side s, const net::Addr& a) {
  std::memcpy(ip.data() + addr_offset(a.family, s), a.bytes.data(), size_t(a.size()));
}

std::optional<IpRef> locate_ip(std::span<uint8_t> frame, const net::ParsedFrame& p) {
  if (!p.ok() || (p.l3 != net::L3::Ipv4 && p.l3 != net::L3::Ipv6)) return std::nullopt;
  if (p.l3_offset > frame.size() || p.l3_len > frame.size() - p.l3_offset) return std::nullopt;
  IpRef r;
  r.fam = p.family();
  r.l3_offset = p.l3_offset;
  r.ip = frame.subspan(p.l3_offset, p.l3_len);
  if (r.fam == net::Family::V4) {
    if (r.ip.size() < 20 || r.ip[0] >> 4 != 4) return std::nullopt;
    r.hl = size_t(r.ip[0] & 0x0f) * 4;
    if (r.hl < 20 || r.hl > r.ip.size() || net::load16(&r.ip[2]) != r.ip.size()) return std::nullopt;
  } else {
    if (r.ip.size() < 40 || r.ip[0] >> 4 != 6) return std::nullopt;
    if (40u + net::load16(&r.ip[4]) != r.ip.size()) return std::nullopt;
    r.hl = 40;  // the extension headers are counted in below, from the L4 offset
  }
  if (p.has_l4()) {
    size_t l4 = p.l4_offset - p.l3_offset;
    if (p.l4_offset < p.l3_offset || l4 < r.hl || l4 > r.ip.size()) return std::nullopt;
    if (r.fam == net::Family::V4 && l4 != r.hl) return std::nullopt;
    r.hl = l4;
    r.l4 = r.ip.subspan(l4);
  }
  return r;
}

std::optional<TcpSegRef> locate_tcp_segment(std::span<uint8_t> frame, const net::ParsedFrame& p) {
  auto r = locate_ip(frame, p);
  if (!r || !p.has_l4() || p.l4_proto != net::ipproto::Tcp || r->l4.size() < 20) return std::nullopt;
  size_t hl = size_t(r->l4[12] >> 4) * 4;
  if (hl < 20 || hl > r->l4.size()) return std::nullopt;
  return TcpSegRef{*r, hl};
}

}  // namespace ulvs::xmit
