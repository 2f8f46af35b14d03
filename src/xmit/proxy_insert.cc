// proxy_insert.cc — arming at the SYN, the insert into the first data segment, the SYN-ACK's
// MSS clamp; the shift of everything else is seq_adjust.cc's.
#include "xmit/proxy_insert.h"

#include <cstring>

#include "net/checksum.h"
#include "net/tcp.h"
#include "net/wire.h"
#include "xmit/frame_ref.h"
#include "xmit/seq_adjust.h"
#include "xmit/toa.h"

namespace ulvs::xmit {
namespace {

// One's-complement "minus": the value to add to remove `sum`'s contribution.
uint16_t neg(uint64_t sum) { return uint16_t(~net::csum_fold(sum)); }
uint64_t len_sum(size_t len) { return (len >> 16) + (len & 0xffff); }

void arm(ipvs::Conn& c, uint32_t isn, bool v2) {
  c.flags = v2 ? c.flags | ipvs::conn_flag::kProxyV2 : c.flags & ~ipvs::conn_flag::kProxyV2;
  c.pp_seq = isn + 1;
  c.pp_delta = uint16_t(proxy_header(c).len);
}

}  // namespace

ProxyHeader proxy_header(const ipvs::Conn& c) {
  net::Endpoint client{c.client(), c.cport}, vs{c.vip(), c.vport};
  if (c.flags & ipvs::conn_flag::kProxyV2) return proxy_v2(client, vs, net::ipproto::Tcp);
  return proxy_v1(client, vs);
}

Status proxy_in(PacketBuf& buf, const net::ParsedFrame& p, ipvs::Conn& c, ipvs::ClientAddr mode,
                uint32_t mtu) {
  // A non-first fragment has no TCP header: nothing to arm or shift.
  if (p.l4_proto != net::ipproto::Tcp || c.protocol != net::ipproto::Tcp || !p.has_l4()) return Status::Ok;
  auto t = locate_tcp_segment(buf.bytes(), p);
  if (!t) return Status::Malformed;
  using namespace net::tcp_flag;
  uint8_t flags = p.tcp_flags;
  uint32_t seq = p.tcp_seq;  // fullnat_in, before, leaves the sequence space alone
  bool syn = flags & SYN;
  bool wanted = mode == ipvs::ClientAddr::ProxyV1 || mode == ipvs::ClientAddr::ProxyV2;
  bool opening = c.tcp_state() == ipvs::TcpState::SynRecv || c.tcp_state() == ipvs::TcpState::SynAck;
  if (syn && !(flags & (ACK | RST)) && wanted && (!c.pp_delta || opening))
    arm(c, seq, mode == ipvs::ClientAddr::ProxyV2);
  if (!c.pp_delta) return Status::Ok;
  bool has_data = t->ip.l4.size() > t->hl;
  if (has_data && seq + (syn ? 1 : 0) == c.pp_seq) {
    // Growing a first fragment would move the later ones: refused (the client resends).
    if (p.is_fragment) return Status::Unsupported;
    return proxy_insert(buf, p, proxy_header(c).span(), mtu);
  }
  return seq_adjust_in(buf, p, c);
}

Status proxy_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c) {
  if (!c.pp_delta || !p.has_l4()) return Status::Ok;
  auto t = locate_tcp_segment(buf.bytes(), p);
  if (!t) return Status::Malformed;
  uint8_t flags = t->ip.l4[13];
  // A SYN-ACK whose options do not parse keeps its MSS (mss_clamp refuses it); it still goes.
  if ((flags & net::tcp_flag::SYN) && (flags & net::tcp_flag::ACK)) mss_clamp(buf, p, c.pp_delta);
  return seq_adjust_out(buf, p, c);
}

Status proxy_insert(PacketBuf& buf, const net::ParsedFrame& p, std::span<const uint8_t> header,
                    uint32_t mtu) {
  auto t = locate_tcp_segment(buf.bytes(), p);
  if (!t) return Status::Malformed;
  size_t n = header.size();
  if (n == 0) return Status::Ok;
  bool v4 = t->ip.fam == net::Family::V4;
  size_t ip_len = t->ip.ip.size() + n, tcp_len = t->ip.l4.size() + n;
  if ((v4 ? ip_len : ip_len - 40) > 0xffff || (mtu && ip_len > mtu)) return Status::MtuExceeded;

  // New checksum = old + length change in the pseudo-header + the header's bytes (it starts at
  // an even offset, the data offset being a multiple of 4).  An odd length moves the payload
  // to the other byte of each word, which byte-swaps its sum: take the payload's sum from the
  // checksum identity (pseudo + TCP header + payload = 0) rather than reading the payload.
  std::span<uint8_t> tcp = t->ip.l4;
  uint64_t s = uint16_t(~net::load16(&tcp[16]));
  s += neg(len_sum(tcp.size())) + len_sum(tcp_len);
  s = net::csum_partial(header, s);
  if (n & 1) {
    net::Addr src = read_addr(t->ip.ip, t->ip.fam, Side::Src), dst = read_addr(t->ip.ip, t->ip.fam, Side::Dst);
    uint64_t known = net::pseudo_header_sum(src, dst, net::ipproto::Tcp, uint32_t(tcp.size()));
    uint16_t payload = neg(net::csum_partial(tcp.first(t->hl), known));
    s += neg(payload) + uint64_t(uint16_t(payload << 8 | payload >> 8));
  }
  // The urgent pointer counts from seq: the urgent byte moved by n.
  uint16_t urg = net::load16(&tcp[18]);
  bool urgent = tcp[13] & net::tcp_flag::URG;
  if (urgent) s += neg(urg) + uint64_t(uint16_t(urg + n));
  uint16_t check = neg(s);

  size_t l3 = t->ip.l3_offset, l4 = l3 + t->ip.hl, at = l4 + t->hl;
  buf.trim(l3 + t->ip.ip.size());  // Ethernet padding must not end up inside the packet
  if (!buf.insert(at, n)) return Status::NoRoom;

  uint8_t* ip = buf.data() + l3;
  uint8_t* seg = buf.data() + l4;
  if (v4) {
    net::store16(&ip[10], net::csum_replace16(net::load16(&ip[10]), net::load16(&ip[2]), uint16_t(ip_len)));
    net::store16(&ip[2], uint16_t(ip_len));
  } else {
    net::store16(&ip[4], uint16_t(ip_len - 40));
  }
  std::memcpy(buf.data() + at, header.data(), n);
  net::store16(&seg[16], check);
  if (urgent) net::store16(&seg[18], uint16_t(urg + n));
  return Status::Ok;
}

}  // namespace ulvs::xmit
