// checksum.cc — RFC 1071 sums and RFC 1624 updates.
#include "net/checksum.h"

#include "net/wire.h"

namespace ulvs::net {

uint64_t csum_partial(std::span<const uint8_t> bytes, uint64_t sum) {
  const uint8_t* p = bytes.data();
  size_t n = bytes.size();
  // 32-bit words: 2^16 == 1 (mod 0xFFFF), so a word adds its two halves' worth to the sum.
  for (; n >= 4; p += 4, n -= 4) sum += load32(p);
  if (n >= 2) {
    sum += load16(p);
    p += 2;
    n -= 2;
  }
  if (n) sum += uint32_t(p[0]) << 8;
  return sum;
}

uint16_t internet_checksum(std::span<const uint8_t> bytes) {
  return uint16_t(~csum_fold(csum_partial(bytes)));
}

uint16_t ipv4_header_checksum(std::span<const uint8_t> header) {
  if (header.size() < 20) return 0;
  uint64_t sum = csum_partial(header.first(10));
  sum = csum_partial(header.subspan(12), sum);
  return uint16_t(~csum_fold(sum));
}

uint64_t pseudo_header_sum(const Addr& src, const Addr& dst, uint8_t proto, uint32_t len) {
  std::span<const uint8_t> s(src.bytes.data(), size_t(src.size()));
  std::span<const uint8_t> d(dst.bytes.data(), size_t(dst.size()));
  uint64_t sum = csum_partial(d, csum_partial(s));
  // IPv4: zero, proto, 16-bit length.  IPv6: 32-bit length, 3 zero bytes, next header.
  // Both add up to proto + length in the one's-complement sum.
  return sum + proto + (len >> 16) + (len & 0xffff);
}

uint16_t l4_checksum(const Addr& src, const Addr& dst, uint8_t proto,
                     std::span<const uint8_t> segment, size_t check_offset) {
  uint64_t sum = pseudo_header_sum(src, dst, proto, uint32_t(segment.size()));
  if (check_offset + 2 > segment.size()) return uint16_t(~csum_fold(csum_partial(segment, sum)));
  sum = csum_partial(segment.first(check_offset), sum);
  sum = csum_partial(segment.subspan(check_offset + 2), sum);
  return uint16_t(~csum_fold(sum));
}

uint16_t tcp_checksum(const Addr& src, const Addr& dst, std::span<const uint8_t> segment) {
  return l4_checksum(src, dst, ipproto::Tcp, segment, 16);
}

uint16_t udp_checksum(const Addr& src, const Addr& dst, std::span<const uint8_t> datagram) {
  uint16_t c = l4_checksum(src, dst, ipproto::Udp, datagram, 6);
  return c == 0 ? 0xffff : c;
}

uint16_t icmp_checksum(std::span<const uint8_t> message) {
  if (message.size() < 4) return internet_checksum(message);
  uint64_t sum = csum_partial(message.first(2));
  sum = csum_partial(message.subspan(4), sum);
  return uint16_t(~csum_fold(sum));
}

uint16_t icmpv6_checksum(const Addr& src, const Addr& dst, std::span<const uint8_t> message) {
  return l4_checksum(src, dst, ipproto::Icmpv6, message, 2);
}

uint16_t csum_replace_bytes(uint16_t check, std::span<const uint8_t> old_b,
                            std::span<const uint8_t> new_b) {
  // ~m summed word by word equals ~(sum of m) in one's complement: subtract the old sum.
  uint64_t sum = uint16_t(~check);
  sum += uint16_t(~csum_fold(csum_partial(old_b)));
  sum = csum_partial(new_b, sum);
  return uint16_t(~csum_fold(sum));
}

uint16_t csum_replace_addr(uint16_t check, const Addr& old_a, const Addr& new_a) {
  return csum_replace_bytes(check, {old_a.bytes.data(), size_t(old_a.size())},
                            {new_a.bytes.data(), size_t(new_a.size())});
}

}  // namespace ulvs::net
