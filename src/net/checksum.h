// checksum.h — the Internet checksum (RFC 1071) and its incremental update (RFC 1624).
//
// Every function returns the 16-bit checksum in host order, ready for a view's
// set_checksum() (which stores it in network order).
//
//   ip.set_checksum(net::ipv4_header_checksum(ip.header()));
//   tcp.set_checksum(net::tcp_checksum(src, dst, tcp.bytes()));
//   // NAT: rewrite the destination, patch both checksums without touching the payload
//   ip.set_checksum(net::csum_replace_addr(ip.checksum(), old_dst, new_dst));
//   tcp.set_checksum(net::csum_replace_addr(tcp.checksum(), old_dst, new_dst));
//   ip.set_dst(new_dst);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "net/addr.h"

namespace ulvs::net {

// Adds `bytes` as big-endian 16-bit words to a running sum (an odd last byte is padded with
// a zero).  Sums can be chained; every span but the last must then have an even length.
// The 64-bit accumulator cannot overflow for any buffer that fits in memory.
uint64_t csum_partial(std::span<const uint8_t> bytes, uint64_t sum = 0);

// Folds a running sum to 16 bits with end-around carry (not complemented).
constexpr uint16_t csum_fold(uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(sum);
}

// ~fold(sum of bytes): the checksum of a buffer whose checksum field is zero, or 0 when
// verifying a buffer that includes a correct checksum.
uint16_t internet_checksum(std::span<const uint8_t> bytes);

// IPv4 header checksum; the checksum field (bytes 10-11) is skipped, so it need not be zeroed.
// `header` is the whole header including options (IHL * 4 bytes, at least 20).
uint16_t ipv4_header_checksum(std::span<const uint8_t> header);

// Sum of the TCP/UDP/ICMPv6 pseudo-header: addresses, protocol and upper-layer length.
uint64_t pseudo_header_sum(const Addr& src, const Addr& dst, uint8_t proto, uint32_t len);

// Checksum of an upper-layer segment over its pseudo-header; the 16-bit checksum field at
// `check_offset` (even) is skipped.
uint16_t l4_checksum(const Addr& src, const Addr& dst, uint8_t proto,
                     std::span<const uint8_t> segment, size_t check_offset);

uint16_t tcp_checksum(const Addr& src, const Addr& dst, std::span<const uint8_t> segment);
// A computed 0 is sent as 0xFFFF: on the wire 0 means "no checksum" (IPv4).
uint16_t udp_checksum(const Addr& src, const Addr& dst, std::span<const uint8_t> datagram);
// ICMPv4 has no pseudo-header.
uint16_t icmp_checksum(std::span<const uint8_t> message);
uint16_t icmpv6_checksum(const Addr& src, const Addr& dst, std::span<const uint8_t> message);

// --- Incremental update, RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') -------------------------
// Exact: the result equals a full recomputation (for a non-zero covered buffer).

constexpr uint16_t csum_replace16(uint16_t check, uint16_t old_v, uint16_t new_v) {
  uint64_t sum = uint16_t(~check) + uint64_t(uint16_t(~old_v)) + new_v;
  return uint16_t(~csum_fold(sum));
}

constexpr uint16_t csum_replace32(uint16_t check, uint32_t old_v, uint32_t new_v) {
  uint64_t sum = uint16_t(~check);
  sum += uint16_t(~(old_v >> 16)) + uint64_t(uint16_t(~old_v));
  sum += (new_v >> 16) + uint64_t(new_v & 0xffff);
  return uint16_t(~csum_fold(sum));
}

// Replaces an even-length run of bytes (old and new the same length) covered by the checksum.
uint16_t csum_replace_bytes(uint16_t check, std::span<const uint8_t> old_b,
                            std::span<const uint8_t> new_b);

// An address change (4 or 16 bytes; both of the same family).  Use it on the IPv4 header
// checksum and, because the pseudo-header holds the addresses, on TCP/UDP/ICMPv6 checksums.
uint16_t csum_replace_addr(uint16_t check, const Addr& old_a, const Addr& new_a);

// UDP flavour: a zero checksum ("none" over IPv4) stays zero, and a result of 0 is sent as
// 0xFFFF — the same value a full udp_checksum() would give.
constexpr uint16_t udp_csum_fix(uint16_t old_check, uint16_t updated) {
  if (old_check == 0) return 0;
  return updated == 0 ? 0xffff : updated;
}
constexpr uint16_t udp_csum_replace16(uint16_t check, uint16_t old_v, uint16_t new_v) {
  return udp_csum_fix(check, csum_replace16(check, old_v, new_v));
}
constexpr uint16_t udp_csum_replace32(uint16_t check, uint32_t old_v, uint32_t new_v) {
  return udp_csum_fix(check, csum_replace32(check, old_v, new_v));
}
inline uint16_t udp_csum_replace_addr(uint16_t check, const Addr& old_a, const Addr& new_a) {
  return udp_csum_fix(check, csum_replace_addr(check, old_a, new_a));
}

}  // namespace ulvs::net
