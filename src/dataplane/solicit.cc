// solicit.cc — ARP via the builder; NS as an ICMPv6 message (type 135) carrying the target and
// our link-layer address option, hop limit 255 as RFC 4861 requires.
#include "dataplane/solicit.h"

#include "net/builder.h"
#include "net/icmp.h"

namespace ulvs::dataplane {

std::vector<uint8_t> solicit(const Interface& from, const net::Addr& target) {
  auto me = first_addr(from, target.family);
  if (!me) return {};
  if (target.is_v4()) return net::build_arp_request(from.mac, *me, target);

  // ff02::1:ffXX:XXXX and 33:33:ff:XX:XX:XX from the target's low 24 bits.
  net::Addr group = *net::Addr::parse("ff02::1:ff00:0");
  net::Mac group_mac{0x33, 0x33, 0xff, 0, 0, 0};
  for (int i = 13; i < 16; ++i) {
    group.bytes[i] = target.bytes[i];
    group_mac[i - 10] = target.bytes[i];
  }
  net::FrameSpec f{.src_mac = from.mac, .dst_mac = group_mac, .src = *me, .dst = group, .ttl = 255};
  net::IcmpSpec m{.type = net::icmp6::NeighborSolicit};
  m.payload.assign(target.bytes.begin(), target.bytes.end());
  m.payload.insert(m.payload.end(), {1, 1});  // source link-layer address, 8 bytes
  m.payload.insert(m.payload.end(), from.mac.begin(), from.mac.end());
  return net::build_icmp(f, m);
}

}  // namespace ulvs::dataplane
