// builder_test.cc — builders checked bit for bit against frames written out independently,
// and their checksums against a plain reference sum on many random specs.
#include "net/builder.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "net/icmp.h"


namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

uint16_t naive_sum(const Bytes& b) {
  uint32_t sum = 0;
  for (size_t i = 0; i < b.size(); i += 2) sum += uint32_t(b[i]) << 8 | (i + 1 < b.size() ? b[i + 1] : 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(sum);
}

Bytes slice(const Bytes& b, size_t from, size_t to) { return Bytes(b.begin() + from, b.begin() + to); }

// Pseudo-header + segment must sum to 0xffff when the checksum inside is right.
bool l4_sums_ok(const Bytes& ip, size_t l3_len, uint8_t proto, bool v6) {
  Bytes all;
  uint32_t len = uint32_t(ip.size() - l3_len);
  if (v6) {
    all = slice(ip, 8, 40);
    all.insert(all.end(), {uint8_t(len >> 24), uint8_t(len >> 16), uint8_t(len >> 8), uint8_t(len), 0, 0, 0, proto});
  } else {
    all = slice(ip, 12, 20);
    all.insert(all.end(), {0, proto, uint8_t(len >> 8), uint8_t(len)});
  }
  all.insert(all.end(), ip.begin() + l3_len, ip.end());
  return naive_sum(all) == 0xffff;
}

TEST(Builder, FromHex) {
  EXPECT_EQ(from_hex("45 00:0a\nFF\tc0"), (Bytes{0x45, 0x00, 0x0a, 0xff, 0xc0}));
  EXPECT_EQ(from_hex(""), Bytes{});
  EXPECT_EQ(from_hex("4"), Bytes{});    // odd digit count
  EXPECT_EQ(from_hex("4g"), Bytes{});   // stray character
}

TEST(Builder, Ipv4UdpBitForBit) {
  FrameSpec f{.ethernet = false, .src = *Addr::parse("192.0.2.1"), .dst = *Addr::parse("198.51.100.1")};
  Bytes b = build_udp(f, {.src_port = 12345, .dst_port = 9999});
  EXPECT_EQ(b, from_hex("4500 001c 0000 0000 4011 8e9b c000 0201 c633 6401"
                        "3039 270f 0008 bc5f"));
}

TEST(Builder, Ipv6UdpBitForBit) {
  // Same checksum as gopacket's Wireshark-checked vector: extension headers are not in the
  // pseudo-header, so the dest-opts header of that vector does not change it.
  FrameSpec f{.ethernet = false, .src = *Addr::parse("2001:db8::1"), .dst = *Addr::parse("2001:db8::2")};
  Bytes b = build_udp(f, {.src_port = 12345, .dst_port = 9999});
  EXPECT_EQ(b, from_hex("6000 0000 0008 1140 2001 0db8 0000 0000 0000 0000 0000 0001"
                        "2001 0db8 0000 0000 0000 0000 0000 0002 3039 270f 0008 4d21"));
}

TEST(Builder, EthernetSynBitForBit) {
  Bytes b = build_tcp({.dont_fragment = true},
                      {.src_port = 40000, .dst_port = 80, .seq = 1, .flags = tcp_flag::SYN,
                       .options = mss_option(1460)});
  EXPECT_EQ(b, from_hex("0200 0000 0002 0200 0000 0001 0800"
                        "4500 002c 0000 4000 4006 26ca 0a00 0001 0a00 0002"
                        "9c40 0050 0000 0001 0000 0000 6002 ffff e792 0000 0204 05b4"));
}

TEST(Builder, VlanTags) {
  Bytes b = build_udp({.vlans = {100}}, {});
  EXPECT_EQ(slice(b, 12, 18), from_hex("8100 0064 0800"));
  b = build_udp({.vlans = {100, 4095}}, {});
  EXPECT_EQ(slice(b, 12, 22), from_hex("88a8 0064 8100 0fff 0800"));
}

TEST(Builder, GratuitousArp) {
  Mac me{2, 0, 0, 0, 0, 7};
  Addr vip = *Addr::parse("10.1.1.1");
  Bytes b = build_arp_request(me, vip, vip);
  EXPECT_EQ(b, from_hex("ffff ffff ffff 0200 0000 0007 0806 0001 0800 0604 0001"
                        "0200 0000 0007 0a01 0101 0000 0000 0000 0a01 0101"));
}

TEST(Builder, RandomSpecsHaveCorrectChecksums) {
  std::mt19937 rng(13);
  for (int t = 0; t < 3000; ++t) {
    bool v6 = t % 2;
    FrameSpec f{.ethernet = false};
    if (v6) {
      f.src.family = f.dst.family = Family::V6;
      for (auto& x : f.src.bytes) x = uint8_t(rng());
      for (auto& x : f.dst.bytes) x = uint8_t(rng());
    } else {
      f.src = Addr::v4(rng());
      f.dst = Addr::v4(rng());
      f.ip_options.resize(rng() % 41, 1);
      f.ip_id = uint16_t(rng());
    }
    f.ttl = uint8_t(rng());
    f.tos = uint8_t(rng());
    Bytes payload(rng() % 100);
    for (auto& x : payload) x = uint8_t(rng());
    size_t l3 = v6 ? 40 : 20 + (f.ip_options.size() + 3) / 4 * 4;

    Bytes opts(rng() % 41, 1);
    Bytes tcp = build_tcp(f, {.src_port = uint16_t(rng()), .dst_port = uint16_t(rng()), .seq = uint32_t(rng()),
                              .ack = uint32_t(rng()), .flags = uint8_t(rng()), .options = opts, .payload = payload});
    Bytes udp = build_udp(f, {.src_port = uint16_t(rng()), .dst_port = uint16_t(rng()), .payload = payload});
    Bytes icmp = build_icmp(f, {.type = uint8_t(rng()), .code = uint8_t(rng()), .rest = uint32_t(rng()), .payload = payload});
    for (const Bytes* p : {&tcp, &udp, &icmp}) {
      if (!v6) {
        ASSERT_EQ(naive_sum(slice(*p, 0, l3)), 0xffff);  // IPv4 header checksum
        ASSERT_EQ(size_t(p->at(2) << 8 | p->at(3)), p->size());
      } else {
        ASSERT_EQ(size_t(p->at(4) << 8 | p->at(5)), p->size() - 40);
      }
    }
    ASSERT_TRUE(l4_sums_ok(tcp, l3, 6, v6)) << t;
    ASSERT_TRUE(l4_sums_ok(udp, l3, 17, v6)) << t;
    if (v6) {
      ASSERT_TRUE(l4_sums_ok(icmp, l3, 58, v6)) << t;
    } else {
      ASSERT_EQ(naive_sum(slice(icmp, l3, icmp.size())), 0xffff);
    }
    ASSERT_EQ(tcp.size(), l3 + 20 + (opts.size() + 3) / 4 * 4 + payload.size());
  }
}

}  // namespace
}  // namespace ulvs::net
