// dr.cc — only the MAC addresses change.
#include "xmit/dr.h"

#include <cstring>

namespace ulvs::xmit {

Status dr_xmit(PacketBuf& buf, const net::Mac& dst_mac, const net::Mac& src_mac) {
  if (buf.len < net::EtherView::kHeaderLen) return Status::Malformed;
  std::memcpy(buf.data(), dst_mac.data(), 6);
  std::memcpy(buf.data() + 6, src_mac.data(), 6);
  return Status::Ok;
}

}  // namespace ulvs::xmit
