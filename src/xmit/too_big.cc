// too_big.cc — built with net::build_icmp, which fills in lengths and checksums.
#include "xmit/too_big.h"

#include <algorithm>
#include <cstring>

#include "net/builder.h"
#include "net/icmp.h"

namespace ulvs::xmit {

std::vector<uint8_t> build_frag_needed(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                                       uint32_t mtu) {
  if (!p.ok() || (p.l3 != net::L3::Ipv4 && p.l3 != net::L3::Ipv6)) return {};
  if (p.l3_offset > frame.size() || p.l3_len > frame.size() - p.l3_offset) return {};
  if (p.inner.present || (p.is_fragment && !p.first_fragment)) return {};
  bool v4 = p.l3 == net::L3::Ipv4;

  net::FrameSpec f;
  f.ethernet = p.l3_offset >= net::EtherView::kHeaderLen;
  if (f.ethernet) {
    std::memcpy(f.dst_mac.data(), frame.data() + 6, 6);
    std::memcpy(f.src_mac.data(), frame.data(), 6);
    f.vlans.assign(p.vlan_ids.begin(), p.vlan_ids.begin() + std::min<int>(p.vlan_count, 2));
  }
  f.src = p.dst;
  f.dst = p.src;
  f.ttl = 64;

  size_t limit = v4 ? 576 - 20 - 8 : 1280 - 40 - 8;  // the whole error within the minimum MTU
  auto quote = frame.subspan(p.l3_offset, std::min<size_t>(p.l3_len, limit));
  net::IcmpSpec m;
  m.type = v4 ? net::icmp4::DestUnreach : net::icmp6::PacketTooBig;
  m.code = v4 ? net::icmp4::FragNeeded : 0;
  m.rest = v4 ? (mtu & 0xffff) : mtu;
  m.payload.assign(quote.begin(), quote.end());
  return net::build_icmp(f, m);
}

}  // namespace ulvs::xmit
