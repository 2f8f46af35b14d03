// icmp_relay.cc — which ICMP errors are relayed, and the NAT / FULLNAT rewrite of them.
#include "dataplane/icmp_relay.h"

#include <algorithm>

#include "ipvs/dest.h"
#include "net/checksum.h"
#include "net/icmp.h"
#include "net/wire.h"
#include "xmit/fullnat.h"
#include "xmit/nat.h"

namespace ulvs::dataplane {
namespace {

bool relayed_type(const net::ParsedFrame& p) {
  if (p.l3 == net::L3::Ipv4) {
    if (p.l4_proto != net::ipproto::Icmp) return false;
    switch (p.icmp_type) {
      case net::icmp4::DestUnreach:
      case net::icmp4::SourceQuench:
      case net::icmp4::TimeExceeded:
      case net::icmp4::ParamProblem: return true;
      default: return false;
    }
  }
  if (p.l3 != net::L3::Ipv6 || p.l4_proto != net::ipproto::Icmpv6) return false;
  switch (p.icmp_type) {
    case net::icmp6::DestUnreach:
    case net::icmp6::PacketTooBig:
    case net::icmp6::TimeExceeded:
    case net::icmp6::ParamProblem: return true;
    default: return false;
  }
}

bool reports_mtu(const net::ParsedFrame& p) {
  if (p.l3 == net::L3::Ipv4)
    return p.icmp_type == net::icmp4::DestUnreach && p.icmp_code == net::icmp4::FragNeeded;
  return p.icmp_type == net::icmp6::PacketTooBig;
}

// The ICMP message in the frame, if the offsets hold.
std::optional<std::span<uint8_t>> icmp_bytes(std::span<uint8_t> frame, const net::ParsedFrame& p) {
  if (!p.has_l4() || p.l4_offset < p.l3_offset) return std::nullopt;
  size_t end = size_t(p.l3_offset) + p.l3_len;
  if (end > frame.size() || p.l4_offset + 8 > end) return std::nullopt;
  return frame.subspan(p.l4_offset, end - p.l4_offset);
}

}  // namespace

std::optional<Quote> relay_quote(const net::ParsedFrame& p) {
  if (!p.ok() || p.is_fragment || !relayed_type(p)) return std::nullopt;
  const net::QuotedPacket& q = p.inner;
  if (!q.present || !q.has_ports || q.is_fragment) return std::nullopt;
  if (q.l4_proto != net::ipproto::Tcp && q.l4_proto != net::ipproto::Udp) return std::nullopt;
  if (q.src.family != p.src.family || q.dst.family != p.src.family) return std::nullopt;
  return Quote{q.l4_proto, q.src, q.dst, q.src_port, q.dst_port};
}

bool icmp_checksum_ok(std::span<uint8_t> frame, const net::ParsedFrame& p) {
  auto m = icmp_bytes(frame, p);
  if (!m) return false;
  if (p.l3 == net::L3::Ipv4) return net::internet_checksum(*m) == 0;
  return net::icmpv6_checksum(p.src, p.dst, *m) == net::load16(&(*m)[2]);
}

xmit::Status icmp_relay_rewrite(xmit::PacketBuf& buf, const net::ParsedFrame& p,
                                const ipvs::Conn& c, const net::Addr& laddr, bool from_client) {
  switch (static_cast<ipvs::Fwd>(c.fwd())) {
    case ipvs::Fwd::Masq:
      return from_client ? xmit::nat_icmp_in(buf, p, c) : xmit::nat_icmp_out(buf, p, c);
    case ipvs::Fwd::FullNat:
      return from_client ? xmit::fullnat_icmp_in(buf, p, c, laddr) : xmit::fullnat_icmp_out(buf, p, c, laddr);
    default:
      return xmit::Status::Unsupported;
  }
}

uint32_t relay_overhead(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                        const ipvs::Conn& c) {
  if (static_cast<ipvs::Fwd>(c.fwd()) != ipvs::Fwd::FullNat || c.pp_delta == 0) return 0;
  const net::QuotedPacket& q = p.inner;
  if (q.l4_proto != net::ipproto::Tcp || q.l4_offset + 8 > frame.size()) return 0;
  // The segment that carried the header starts at pp_seq (xmit/proxy_insert.h).
  return net::load32(&frame[q.l4_offset + 4]) == c.pp_seq ? c.pp_delta : 0;
}

void lower_reported_mtu(std::span<uint8_t> frame, const net::ParsedFrame& p, uint32_t overhead) {
  if (!overhead || !reports_mtu(p)) return;
  auto m = icmp_bytes(frame, p);
  if (!m) return;
  uint8_t* icmp = m->data();
  if (p.l3 == net::L3::Ipv4) {
    uint16_t old = net::load16(&icmp[6]);
    if (old == 0) return;  // a pre-RFC 1191 router: no MTU to correct
    uint16_t mtu = uint16_t(std::max<int64_t>(68, int64_t(old) - overhead));
    if (mtu == old) return;
    net::store16(&icmp[6], mtu);
    net::store16(&icmp[2], net::csum_replace16(net::load16(&icmp[2]), old, mtu));
  } else {
    uint32_t old = net::load32(&icmp[4]);
    uint32_t mtu = uint32_t(std::max<int64_t>(1280, int64_t(old) - overhead));
    if (mtu == old) return;
    net::store32(&icmp[4], mtu);
    net::store16(&icmp[2], net::csum_replace32(net::load16(&icmp[2]), old, mtu));
  }
}

}  // namespace ulvs::dataplane
