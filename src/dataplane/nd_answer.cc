// nd_answer.cc — NS in, NA out, built by net::build_icmp (checksum over the pseudo-header).
#include "dataplane/nd_answer.h"

#include <algorithm>

#include "net/builder.h"
#include "net/ether.h"
#include "net/icmp.h"

namespace ulvs::dataplane {

namespace {
constexpr uint32_t kTargetOffset = 8;   // type, code, checksum, reserved, then the target
constexpr uint32_t kSolicited = 0x40000000, kOverride = 0x20000000;
}  // namespace

std::optional<net::Addr> ns_target(std::span<const uint8_t> frame, const net::ParsedFrame& p) {
  if (p.l3 != net::L3::Ipv6 || p.l4_proto != net::ipproto::Icmpv6) return std::nullopt;
  if (p.icmp_type != net::icmp6::NeighborSolicit || p.icmp_code != 0 || p.ttl != 255) return std::nullopt;
  if (p.l4_offset + kTargetOffset + 16 > frame.size()) return std::nullopt;
  return net::Addr::v6_bytes(frame.data() + p.l4_offset + kTargetOffset);
}

std::vector<uint8_t> nd_answer(std::span<const uint8_t> frame, const net::ParsedFrame& p,
                               const net::Mac& my_mac) {
  auto target = ns_target(frame, p);
  if (!target || frame.size() < 12) return {};
  net::Mac solicitor;
  std::copy_n(frame.begin() + 6, 6, solicitor.begin());  // Ethernet source
  bool dad = std::all_of(p.src.bytes.begin(), p.src.bytes.end(), [](uint8_t b) { return b == 0; });
  net::FrameSpec f{.src_mac = my_mac, .dst_mac = solicitor, .src = *target, .ttl = 255};
  f.dst = dad ? *net::Addr::parse("ff02::1") : p.src;
  if (dad) f.dst_mac = {0x33, 0x33, 0, 0, 0, 1};
  // Router flag clear: a VIP is a host address.
  net::IcmpSpec m{.type = net::icmp6::NeighborAdvert, .rest = kOverride | (dad ? 0 : kSolicited)};
  m.payload.assign(target->bytes.begin(), target->bytes.end());
  m.payload.insert(m.payload.end(), {2, 1});  // target link-layer address, 8 bytes
  m.payload.insert(m.payload.end(), my_mac.begin(), my_mac.end());
  return net::build_icmp(f, m);
}

}  // namespace ulvs::dataplane
