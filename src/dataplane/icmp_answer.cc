// icmp_answer.cc — built with net::build_icmp / build_icmp_echo, which fill in lengths and
// checksums (ICMPv6 over its pseudo-header).
#include "dataplane/icmp_answer.h"

#include <algorithm>
#include <cstring>

#include "net/builder.h"
#include "net/icmp.h"
#include "net/wire.h"

namespace ulvs::dataplane {
namespace {

bool is_ip(const net::ParsedFrame& p, std::span<const uint8_t> frame) {
  if (!p.ok() || (p.l3 != net::L3::Ipv4 && p.l3 != net::L3::Ipv6)) return false;
  return p.l3_offset >= net::EtherView::kHeaderLen && p.l3_offset <= frame.size() &&
         p.l3_len <= frame.size() - p.l3_offset;
}

// Back to the sender: MACs swapped (ours as the source), addresses swapped, tags kept.
net::FrameSpec answer_spec(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                           const net::Mac& my_mac) {
  net::FrameSpec f;
  f.src_mac = my_mac;
  std::memcpy(f.dst_mac.data(), frame.data() + 6, 6);
  f.vlans.assign(p.vlan_ids.begin(), p.vlan_ids.begin() + std::min<int>(p.vlan_count, 2));
  f.src = p.dst;
  f.dst = p.src;
  f.ttl = 64;
  return f;
}

}  // namespace

std::vector<uint8_t> echo_reply(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                                const net::Mac& my_mac) {
  if (!is_ip(p, frame) || !p.has_l4() || p.is_fragment) return {};
  bool v4 = p.l3 == net::L3::Ipv4;
  if (p.l4_proto != (v4 ? net::ipproto::Icmp : net::ipproto::Icmpv6)) return {};
  if (p.icmp_type != (v4 ? net::icmp4::EchoRequest : net::icmp6::EchoRequest)) return {};
  size_t end = p.l3_offset + p.l3_len;
  if (p.l4_offset + net::IcmpView::kHeaderLen > end) return {};
  const uint8_t* icmp = frame.data() + p.l4_offset;
  auto data = frame.subspan(p.l4_offset + net::IcmpView::kHeaderLen,
                            end - p.l4_offset - net::IcmpView::kHeaderLen);
  return net::build_icmp_echo(answer_spec(frame, p, my_mac), /*reply=*/true,
                              net::load16(icmp + 4), net::load16(icmp + 6), data);
}

std::vector<uint8_t> port_unreachable(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                                      const net::Mac& my_mac) {
  if (!is_ip(p, frame) || p.inner.present || (p.is_fragment && !p.first_fragment)) return {};
  bool v4 = p.l3 == net::L3::Ipv4;
  size_t limit = v4 ? 576 - 20 - 8 : 1280 - 40 - 8;  // the whole error within the minimum MTU
  auto quote = frame.subspan(p.l3_offset, std::min<size_t>(p.l3_len, limit));
  net::IcmpSpec m;
  m.type = v4 ? net::icmp4::DestUnreach : net::icmp6::DestUnreach;
  m.code = v4 ? 3 : 4;  // port unreachable
  m.payload.assign(quote.begin(), quote.end());
  return net::build_icmp(answer_spec(frame, p, my_mac), m);
}

}  // namespace ulvs::dataplane
