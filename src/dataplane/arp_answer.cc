// arp_answer.cc — "target_ip is at my_mac", sent straight back to the asker (unicast).
#include "dataplane/arp_answer.h"

#include "net/arp.h"
#include "net/builder.h"

namespace ulvs::dataplane {

std::vector<uint8_t> arp_answer(std::span<uint8_t> frame, const net::ParsedFrame& p,
                                const net::Mac& my_mac) {
  if (!p.ok() || p.l3 != net::L3::Arp || p.l3_offset > frame.size()) return {};
  auto arp = net::ArpView::parse(frame.subspan(p.l3_offset));
  if (!arp || arp->op() != net::ArpView::kRequest) return {};
  std::span<const uint16_t> vlans(p.vlan_ids.data(), p.vlan_count);
  return net::build_arp_reply(my_mac, arp->target_ip(), arp->sender_mac(), arp->sender_ip(), vlans);
}

}  // namespace ulvs::dataplane
