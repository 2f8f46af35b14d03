// checksum_test.cc — RFC 1071 sums against known vectors and a plain reference loop, and
// RFC 1624 incremental updates against full recomputation.
#include "net/checksum.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "net/builder.h"

// GCC 12 warns about members left out of designated initializers (they take their defaults,
// which is the point).

namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

// The reference: the textbook loop, 16-bit big-endian words, carries folded at the end.
uint16_t naive_sum(const Bytes& b) {
  uint32_t sum = 0;
  for (size_t i = 0; i < b.size(); i += 2) {
    uint32_t word = uint32_t(b[i]) << 8;
    if (i + 1 < b.size()) word |= b[i + 1];
    sum += word;
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(sum);
}
uint16_t naive_checksum(const Bytes& b) { return uint16_t(~naive_sum(b)); }

// Pseudo-header spelled out as RFC 793 / RFC 8200 draw it.
Bytes pseudo_header(const Addr& src, const Addr& dst, uint8_t proto, uint32_t len) {
  Bytes p(src.bytes.begin(), src.bytes.begin() + src.size());
  p.insert(p.end(), dst.bytes.begin(), dst.bytes.begin() + dst.size());
  if (src.is_v4()) {
    p.insert(p.end(), {0, proto, uint8_t(len >> 8), uint8_t(len)});
  } else {
    p.insert(p.end(), {uint8_t(len >> 24), uint8_t(len >> 16), uint8_t(len >> 8), uint8_t(len), 0, 0,
                       0, proto});
  }
  return p;
}

// Reference L4 checksum: pseudo-header + segment with its checksum field zeroed.
uint16_t naive_l4(const Addr& s, const Addr& d, uint8_t proto, Bytes seg, size_t off) {
  seg[off] = seg[off + 1] = 0;
  Bytes all = pseudo_header(s, d, proto, uint32_t(seg.size()));
  all.insert(all.end(), seg.begin(), seg.end());
  return naive_checksum(all);
}

Addr random_addr(std::mt19937& rng, bool v6) {
  Addr a;
  a.family = v6 ? Family::V6 : Family::V4;
  for (int i = 0; i < a.size(); ++i) a.bytes[i] = uint8_t(rng());
  return a;
}

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
  Bytes b{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(csum_fold(csum_partial(b)), 0xddf2);
  EXPECT_EQ(internet_checksum(b), 0x220d);
}

TEST(Checksum, KnownIpv4Header) {
  Bytes h = from_hex("45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7");
  ASSERT_EQ(h.size(), 20u);
  EXPECT_EQ(ipv4_header_checksum(h), 0xb861);
  EXPECT_EQ(internet_checksum(h), 0);  // a correct header sums to 0xffff
  h[10] = h[11] = 0;
  EXPECT_EQ(internet_checksum(h), 0xb861);
  EXPECT_EQ(ipv4_header_checksum(h), 0xb861);  // the field is skipped either way
}

TEST(Checksum, KnownUdpVectors) {
  // Wireshark-verified values from gopacket's tcpip_test.go.
  Bytes udp{0x30, 0x39, 0x27, 0x0f, 0x00, 0x08, 0x00, 0x00};  // 12345 -> 9999, empty
  EXPECT_EQ(udp_checksum(*Addr::parse("192.0.2.1"), *Addr::parse("198.51.100.1"), udp), 0xbc5f);
  EXPECT_EQ(udp_checksum(*Addr::parse("2001:db8::1"), *Addr::parse("2001:db8::2"), udp), 0x4d21);
}

TEST(Checksum, KnownIcmpv6NeighborAdvert) {
  // Captured neighbour advertisement (gopacket icmp6_test.go), checksum 0x1ed6.
  Bytes msg = from_hex("8800 1ed6 4000 0000 2620 0000 1005 0000 26be 05ff fe27 0b17");
  auto src = *Addr::parse("2620:0:1005:0:26be:5ff:fe27:b17");
  auto dst = *Addr::parse("fe80::21f:caff:feb3:7640");
  EXPECT_EQ(icmpv6_checksum(src, dst, msg), 0x1ed6);
  EXPECT_EQ(naive_l4(src, dst, 58, msg, 2), 0x1ed6);
}

TEST(Checksum, MatchesNaiveOnRandomBuffers) {
  std::mt19937 rng(1);
  for (int trial = 0; trial < 3000; ++trial) {
    Bytes b(rng() % 300);
    for (auto& x : b) x = uint8_t(rng());
    ASSERT_EQ(internet_checksum(b), naive_checksum(b)) << "len " << b.size();
    ASSERT_EQ(csum_fold(csum_partial(b)), naive_sum(b));
  }
}

TEST(Checksum, AllOnesAndEmpty) {
  EXPECT_EQ(internet_checksum({}), 0xffff);
  Bytes ones(1000, 0xff);
  EXPECT_EQ(internet_checksum(ones), naive_checksum(ones));
  Bytes odd{0xab};
  EXPECT_EQ(internet_checksum(odd), uint16_t(~0xab00));
}

TEST(Checksum, PartialSumsChain) {
  std::mt19937 rng(2);
  for (int trial = 0; trial < 500; ++trial) {
    Bytes a(2 * (rng() % 50)), b(rng() % 101);
    for (auto& x : a) x = uint8_t(rng());
    for (auto& x : b) x = uint8_t(rng());
    Bytes ab = a;
    ab.insert(ab.end(), b.begin(), b.end());
    ASSERT_EQ(csum_fold(csum_partial(b, csum_partial(a))), naive_sum(ab));
  }
}

TEST(Checksum, L4MatchesNaiveBothFamilies) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    bool v6 = trial & 1;
    Addr s = random_addr(rng, v6), d = random_addr(rng, v6);
    Bytes seg(20 + rng() % 200);
    for (auto& x : seg) x = uint8_t(rng());
    ASSERT_EQ(tcp_checksum(s, d, seg), naive_l4(s, d, 6, seg, 16));
    uint16_t u = naive_l4(s, d, 17, seg, 6);
    ASSERT_EQ(udp_checksum(s, d, seg), u == 0 ? 0xffff : u);
    if (v6) {
      ASSERT_EQ(icmpv6_checksum(s, d, seg), naive_l4(s, d, 58, seg, 2));
    }
    Bytes icmp = seg;
    icmp[2] = icmp[3] = 0;
    ASSERT_EQ(icmp_checksum(seg), naive_checksum(icmp));
  }
}

TEST(Checksum, UdpComputedZeroIsSentAsFfff) {
  Addr s = *Addr::parse("10.1.2.3"), d = *Addr::parse("10.9.8.7");
  Bytes udp{0x04, 0xd2, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00};
  // Put the checksum of the zero-word datagram into the last word: the sum becomes 0xffff.
  uint16_t c = l4_checksum(s, d, 17, udp, 6);
  udp[8] = uint8_t(c >> 8);
  udp[9] = uint8_t(c);
  EXPECT_EQ(l4_checksum(s, d, 17, udp, 6), 0);
  EXPECT_EQ(udp_checksum(s, d, udp), 0xffff);
  // And 0xffff verifies: the receiver's sum over the datagram incl. checksum is 0xffff.
  udp[6] = udp[7] = 0xff;
  Bytes all = pseudo_header(s, d, 17, 10);
  all.insert(all.end(), udp.begin(), udp.end());
  EXPECT_EQ(naive_checksum(all), 0);
}

TEST(Checksum, Replace16And32MatchRecompute) {
  std::mt19937 rng(4);
  for (int trial = 0; trial < 5000; ++trial) {
    Bytes b(8 + 2 * (rng() % 40));
    for (auto& x : b) x = uint8_t(rng());
    uint16_t check = naive_checksum(b);
    size_t off = 2 * (rng() % (b.size() / 2 - 1));
    if (trial % 2) {
      uint16_t old_v = uint16_t(b[off] << 8 | b[off + 1]), new_v = uint16_t(rng());
      if (trial % 7 == 0) new_v = 0;
      if (trial % 11 == 0) new_v = 0xffff;
      b[off] = uint8_t(new_v >> 8);
      b[off + 1] = uint8_t(new_v);
      ASSERT_EQ(csum_replace16(check, old_v, new_v), naive_checksum(b)) << trial;
    } else {
      uint32_t old_v = uint32_t(b[off]) << 24 | uint32_t(b[off + 1]) << 16 |
                       uint32_t(b[off + 2]) << 8 | b[off + 3];
      uint32_t new_v = rng();
      for (int i = 0; i < 4; ++i) b[off + i] = uint8_t(new_v >> (24 - 8 * i));
      ASSERT_EQ(csum_replace32(check, old_v, new_v), naive_checksum(b)) << trial;
    }
  }
}

TEST(Checksum, ReplaceWorkedExample) {
  // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 (eqn. 3).
  EXPECT_EQ(csum_replace16(0xdd2f, 0x5555, 0x3285), 0x0000);
}

// NAT rewrite of a whole frame: addresses and ports change, checksums patched incrementally,
// then compared with the checksums of a frame built from scratch with the new values.
void nat_trials(bool v6, bool udp, int trials) {
  std::mt19937 rng(v6 * 2 + udp + 10);
  for (int t = 0; t < trials; ++t) {
    FrameSpec f{.ethernet = false, .src = random_addr(rng, v6), .dst = random_addr(rng, v6)};
    Bytes payload(rng() % 64);
    for (auto& x : payload) x = uint8_t(rng());
    uint16_t sport = uint16_t(rng()), dport = uint16_t(rng());
    auto build = [&](const FrameSpec& fs, uint16_t sp, uint16_t dp) {
      return udp ? build_udp(fs, {.src_port = sp, .dst_port = dp, .payload = payload})
                 : build_tcp(fs, {.src_port = sp, .dst_port = dp, .seq = 7, .payload = payload});
    };
    Bytes pkt = build(f, sport, dport);
    size_t l4 = v6 ? 40 : 20, coff = l4 + (udp ? 6 : 16);
    auto get16 = [&](size_t o) { return uint16_t(pkt[o] << 8 | pkt[o + 1]); };
    auto set16 = [&](size_t o, uint16_t v) { pkt[o] = uint8_t(v >> 8); pkt[o + 1] = uint8_t(v); };

    FrameSpec g = f;
    g.dst = random_addr(rng, v6);
    if (t % 3 == 0) g.src = random_addr(rng, v6);
    uint16_t new_dport = uint16_t(rng());
    uint16_t l4c = get16(coff);
    auto rep_addr = udp ? udp_csum_replace_addr : csum_replace_addr;
    l4c = rep_addr(l4c, f.dst, g.dst);
    l4c = rep_addr(l4c, f.src, g.src);
    l4c = udp ? udp_csum_replace16(l4c, dport, new_dport) : csum_replace16(l4c, dport, new_dport);
    set16(coff, l4c);
    set16(l4 + 2, new_dport);
    if (!v6) {
      uint16_t ipc = csum_replace_addr(get16(10), f.dst, g.dst);
      set16(10, csum_replace_addr(ipc, f.src, g.src));
    }
    std::copy_n(g.src.bytes.begin(), g.src.size(), pkt.begin() + (v6 ? 8 : 12));
    std::copy_n(g.dst.bytes.begin(), g.dst.size(), pkt.begin() + (v6 ? 24 : 16));

    Bytes want = build(g, sport, new_dport);
    ASSERT_EQ(pkt, want) << "trial " << t;
  }
}

TEST(Checksum, IncrementalNatTcpV4) { nat_trials(false, false, 3000); }
TEST(Checksum, IncrementalNatTcpV6) { nat_trials(true, false, 3000); }
TEST(Checksum, IncrementalNatUdpV4) { nat_trials(false, true, 3000); }
TEST(Checksum, IncrementalNatUdpV6) { nat_trials(true, true, 3000); }

TEST(Checksum, UdpZeroChecksumStaysZero) {
  EXPECT_EQ(udp_csum_replace16(0, 1000, 2000), 0);
  EXPECT_EQ(udp_csum_replace32(0, 0x0a000001, 0x0a000002), 0);
  EXPECT_EQ(udp_csum_replace_addr(0, Addr::v4(1), Addr::v4(2)), 0);
  EXPECT_NE(csum_replace16(0, 1000, 2000), 0);  // the plain update would not
  // An update whose plain result is 0 must give 0xffff instead.
  uint16_t hc = 0x1234, m = 0x0000, mp = uint16_t(0xffff - uint16_t(~hc));
  ASSERT_EQ(csum_replace16(hc, m, mp), 0);
  EXPECT_EQ(udp_csum_replace16(hc, m, mp), 0xffff);
}

}  // namespace
}  // namespace ulvs::net
