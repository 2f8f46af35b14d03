// partial_csum.cc — what skb_checksum_help() does in the kernel, on a received frame.
#include "net/partial_csum.h"

#include "net/checksum.h"
#include "net/frame.h"
#include "net/wire.h"

namespace ulvs::net {

bool complete_partial_checksum(std::span<uint8_t> frame) {
  ParsedFrame p = parse_frame(frame);
  if (!p.ok() || p.is_fragment || !p.has_l4()) return false;
  uint32_t field;
  if (p.l4_proto == ipproto::Tcp) field = 16;
  else if (p.l4_proto == ipproto::Udp) field = 6;
  else return false;
  uint32_t end = p.l3_offset + p.l3_len;
  if (end > frame.size() || p.l4_offset + field + 2 > end) return false;
  uint16_t sum = internet_checksum(frame.subspan(p.l4_offset, end - p.l4_offset));
  if (p.l4_proto == ipproto::Udp && sum == 0) sum = 0xffff;  // 0 means "no checksum" in UDP
  store16(frame.data() + p.l4_offset + field, sum);
  return true;
}

}  // namespace ulvs::net
