// xmit_test_util.h — what the forwarding tests share: a frame in a buffer with head- and
// tailroom, a connection entry, and a checker that recomputes every checksum in a frame.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <span>
#include <vector>

#include "ipvs/conn.h"
#include "net/builder.h"
#include "net/checksum.h"
#include "net/frame.h"
#include "net/icmp.h"
#include "net/wire.h"
#include "xmit/packet_buf.h"

namespace ulvs::xmit::test {

using Bytes = std::vector<uint8_t>;

inline net::Addr A(const char* s) { return *net::Addr::parse(s); }

// A frame copied into a buffer with room on both sides.
struct TestFrame {
  Bytes mem;
  PacketBuf buf;
  explicit TestFrame(const Bytes& frame, size_t head = 128, size_t tail = 128)
      : mem(head + frame.size() + tail, 0xEE) {
    if (!frame.empty()) std::memcpy(mem.data() + head, frame.data(), frame.size());
    buf = PacketBuf{mem.data(), mem.size(), head, frame.size()};
  }
  Bytes bytes() const { return Bytes(buf.data(), buf.data() + buf.len); }
  net::ParsedFrame parse() const { return net::parse_frame(buf.bytes()); }
};

// client 1.1.1.1:40000 → VIP 10.0.0.100:80 → RS 192.168.10.2:8080 (FULLNAT local 192.168.10.1:5000)
// or the IPv6 equivalents.
struct Flow {
  net::Addr client, vip, real, local;
  uint16_t cport = 40000, vport = 80, dport = 8080, lport = 5000;
};
inline Flow flow(net::Family f) {
  if (f == net::Family::V4)
    return {A("1.1.1.1"), A("10.0.0.100"), A("192.168.10.2"), A("192.168.10.1")};
  return {A("2001:db8::1"), A("2001:db8:100::100"), A("fd00:10::2"), A("fd00:10::1")};
}

inline ipvs::Conn make_conn(const Flow& fl) {
  ipvs::Conn c{};
  c.family = static_cast<uint8_t>(fl.client.family);
  c.protocol = net::ipproto::Tcp;
  c.caddr = fl.client.bytes;
  c.vaddr = fl.vip.bytes;
  c.daddr = fl.real.bytes;
  c.cport = fl.cport;
  c.vport = fl.vport;
  c.dport = fl.dport;
  c.lport = fl.lport;
  return c;
}

inline Bytes slice(std::span<const uint8_t> b, size_t off, size_t n) {
  return Bytes(b.begin() + off, b.begin() + off + n);
}

// The IP packet (no Ethernet) of a frame.
inline Bytes ip_packet(const Bytes& frame) {
  Bytes copy = frame;
  auto p = net::parse_frame(copy);
  return slice(copy, p.l3_offset, p.l3_len);
}

// L4 checksum of a TCP/UDP segment, recomputed from scratch; true if it matches.
inline bool l4_sum_ok(uint8_t proto, const net::Addr& s, const net::Addr& d, std::span<const uint8_t> l4) {
  if (proto == net::ipproto::Tcp) return l4.size() >= 20 && net::tcp_checksum(s, d, l4) == net::load16(&l4[16]);
  if (proto == net::ipproto::Udp) {
    if (l4.size() < 8) return false;
    uint16_t stored = net::load16(&l4[6]);
    if (stored == 0 && s.is_v4()) return true;  // "no checksum"
    return net::udp_checksum(s, d, l4) == stored;
  }
  return true;
}

// Every checksum in the frame, by full recomputation: IPv4 header, TCP/UDP, ICMP/ICMPv6, and
// inside an ICMP error the quoted IPv4 header and (when quoted whole) the quoted TCP/UDP.
inline ::testing::AssertionResult checksums_ok(std::span<const uint8_t> frame) {
  Bytes copy(frame.begin(), frame.end());
  net::ParsedFrame p = net::parse_frame(copy);
  if (!p.ok()) return ::testing::AssertionFailure() << "parse: " << net::to_string(p.error);
  std::span<const uint8_t> ip(copy.data() + p.l3_offset, p.l3_len);
  if (p.l3 == net::L3::Ipv4 && net::internet_checksum(ip.first(size_t(ip[0] & 15) * 4)) != 0)
    return ::testing::AssertionFailure() << "IPv4 header checksum";
  if (!p.has_l4()) return ::testing::AssertionSuccess();
  std::span<const uint8_t> l4(copy.data() + p.l4_offset, p.l3_offset + p.l3_len - p.l4_offset);
  if (!l4_sum_ok(p.l4_proto, p.src, p.dst, l4)) return ::testing::AssertionFailure() << "L4 checksum";
  if (p.l4_proto == net::ipproto::Icmp && net::internet_checksum(l4) != 0)
    return ::testing::AssertionFailure() << "ICMP checksum";
  if (p.l4_proto == net::ipproto::Icmpv6 && net::icmpv6_checksum(p.src, p.dst, l4) != net::load16(&l4[2]))
    return ::testing::AssertionFailure() << "ICMPv6 checksum";
  if (p.inner.present) {
    const auto& q = p.inner;
    std::span<const uint8_t> qip(copy.data() + q.l3_offset, p.l3_offset + p.l3_len - q.l3_offset);
    if (q.src.is_v4() && net::internet_checksum(qip.first(size_t(qip[0] & 15) * 4)) != 0)
      return ::testing::AssertionFailure() << "quoted IPv4 header checksum";
    size_t total = q.src.is_v4() ? net::load16(&qip[2]) : 40u + net::load16(&qip[4]);
    std::span<const uint8_t> ql4(copy.data() + q.l4_offset, p.l3_offset + p.l3_len - q.l4_offset);
    if (total == qip.size() && !l4_sum_ok(q.l4_proto, q.src, q.dst, ql4))
      return ::testing::AssertionFailure() << "quoted L4 checksum";
  }
  return ::testing::AssertionSuccess();
}

// The family/protocol/VLAN combinations the rewrite tests run over.
struct Variant {
  net::Family fam;
  uint8_t proto;
  int vlans;
  bool ip_options;
};
inline std::vector<Variant> all_variants() {
  std::vector<Variant> v;
  for (auto fam : {net::Family::V4, net::Family::V6})
    for (uint8_t proto : {net::ipproto::Tcp, net::ipproto::Udp})
      for (int vlans : {0, 1, 2})
        for (bool opts : {false, true})
          if (!opts || fam == net::Family::V4) v.push_back({fam, proto, vlans, opts});
  return v;
}
inline std::string variant_name(const ::testing::TestParamInfo<Variant>& i) {
  const Variant& v = i.param;
  return std::string(v.fam == net::Family::V4 ? "v4" : "v6") + (v.proto == net::ipproto::Tcp ? "tcp" : "udp") +
         "_vlan" + std::to_string(v.vlans) + (v.ip_options ? "_ipopts" : "");
}

// A frame of the variant's kind between two endpoints.
inline Bytes make_frame(const Variant& v, const net::Addr& src, uint16_t sport, const net::Addr& dst,
                        uint16_t dport, Bytes payload = {'h', 'e', 'l', 'l', 'o', '!', '\n'}) {
  net::FrameSpec f{.src = src, .dst = dst, .ttl = 61, .tos = 0x10, .ip_id = 0x1234, .dont_fragment = true};
  for (int i = 0; i < v.vlans; ++i) f.vlans.push_back(uint16_t(100 + i));
  if (v.ip_options) f.ip_options = {0x07, 0x07, 0x04, 0, 0, 0, 0};  // record route, one slot
  if (v.proto == net::ipproto::Tcp)
    return net::build_tcp(f, {.src_port = sport, .dst_port = dport, .seq = 1000, .ack = 2000,
                              .options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}, .payload = payload});
  return net::build_udp(f, {.src_port = sport, .dst_port = dport, .payload = payload});
}

// Every prefix of `frame`, parsed as it is and with the full frame's (stale) ParsedFrame:
// `fn` must return without touching memory outside the prefix (ASan checks that).
template <class Fn>
void for_each_prefix(const Bytes& frame, Fn&& fn) {
  Bytes full = frame;
  net::ParsedFrame whole = net::parse_frame(full);
  for (size_t n = 0; n < frame.size(); ++n) {
    Bytes prefix(frame.begin(), frame.begin() + n);
    TestFrame a(prefix, 0, 0), b(prefix, 0, 0);
    fn(a.buf, a.parse());
    fn(b.buf, whole);
  }
}

}  // namespace ulvs::xmit::test
