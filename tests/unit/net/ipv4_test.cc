// ipv4_test.cc — Ipv4View on captured and built packets, options, fragments, every
// truncation, lying lengths and random bytes.
#include "net/ipv4.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "net/builder.h"
#include "net/captures.h"


namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ip_part(const Bytes& frame) { return Bytes(frame.begin() + 14, frame.end()); }

TEST(Ipv4, CapturedHeader) {
  Bytes b = ip_part(captures::http_get());
  auto ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->version(), 4);
  EXPECT_EQ(ip->header_len(), 20u);
  EXPECT_EQ(ip->tos(), 0);
  EXPECT_EQ(ip->total_len(), 420);
  EXPECT_EQ(ip->id(), 14815);
  EXPECT_TRUE(ip->dont_fragment());
  EXPECT_FALSE(ip->more_fragments());
  EXPECT_FALSE(ip->is_fragment());
  EXPECT_EQ(ip->frag_offset(), 0u);
  EXPECT_EQ(ip->ttl(), 64);
  EXPECT_EQ(ip->protocol(), ipproto::Tcp);
  EXPECT_EQ(ip->checksum(), 0x555a);
  EXPECT_TRUE(ip->checksum_ok());
  EXPECT_EQ(ip->src().str(), "172.17.81.73");
  EXPECT_EQ(ip->dst().str(), "173.222.254.225");
  EXPECT_TRUE(ip->options().empty());
  EXPECT_EQ(ip->payload().size(), 400u);
  EXPECT_EQ(ip->payload()[0], 0xc5);
}

TEST(Ipv4, KnownHeaderChecksum) {
  Bytes h = from_hex("45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7");
  h.resize(0x73);  // the header says 115 bytes
  auto ip = Ipv4View::parse(h);
  ASSERT_TRUE(ip);
  EXPECT_TRUE(ip->checksum_ok());
  EXPECT_EQ(ip->src().str(), "192.168.0.1");
  EXPECT_EQ(ip->dst().str(), "192.168.0.199");
  EXPECT_EQ(ip->protocol(), ipproto::Udp);
  ip->set_checksum(0);
  ip->update_checksum();
  EXPECT_EQ(ip->checksum(), 0xb861);
}

TEST(Ipv4, PaddingTrimmed) {
  Bytes b = ip_part(captures::small_tcp_padded());
  ASSERT_EQ(b.size(), 46u);
  auto ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->bytes().size(), 40u);
  EXPECT_EQ(ip->payload().size(), 20u);
  EXPECT_TRUE(ip->checksum_ok());
}

TEST(Ipv4, OptionsFromBuilder) {
  FrameSpec f{.ethernet = false, .ip_id = 77, .ip_options = {0x94, 0x04, 0x00, 0x00, 0x01}};
  Bytes b = build_udp(f, {.payload = {1, 2, 3}});
  auto ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->header_len(), 28u);  // 5 option bytes padded to 8
  ASSERT_EQ(ip->options().size(), 8u);
  EXPECT_EQ(ip->options()[0], 0x94);
  EXPECT_EQ(ip->options()[4], 0x01);
  EXPECT_EQ(ip->options()[5], 0x00);
  EXPECT_EQ(ip->id(), 77);
  EXPECT_TRUE(ip->checksum_ok());
  EXPECT_EQ(ip->payload().size(), 8u + 3);
  EXPECT_EQ(ip->total_len(), 28 + 11);
}

TEST(Ipv4, MaxIhl) {
  FrameSpec f{.ethernet = false, .ip_options = Bytes(40, 1)};
  Bytes b = build_tcp(f, {});
  auto ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->header_len(), 60u);
  EXPECT_TRUE(ip->checksum_ok());
}

TEST(Ipv4, Fragments) {
  FrameSpec f{.ethernet = false, .fragment = FragmentSpec{.offset = 1480, .more = true, .id = 0x1234}};
  Bytes b = build_udp(f, {});
  auto ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_TRUE(ip->is_fragment());
  EXPECT_TRUE(ip->more_fragments());
  EXPECT_EQ(ip->frag_offset(), 1480u);
  EXPECT_EQ(ip->id(), 0x1234);
  f.fragment = FragmentSpec{.offset = 0, .more = true};
  b = build_udp(f, {});
  EXPECT_TRUE(Ipv4View::parse(b)->is_fragment());
  EXPECT_EQ(Ipv4View::parse(b)->frag_offset(), 0u);
  f.fragment = FragmentSpec{.offset = 8, .more = false};
  b = build_udp(f, {});
  EXPECT_TRUE(Ipv4View::parse(b)->is_fragment());  // the last fragment
  f.fragment.reset();
  f.dont_fragment = true;
  b = build_udp(f, {});
  EXPECT_FALSE(Ipv4View::parse(b)->is_fragment());
}

TEST(Ipv4, LyingLengths) {
  Bytes good = ip_part(captures::small_tcp_padded());
  good.resize(40);
  auto with = [&](size_t i, uint8_t v) {
    Bytes b = good;
    b[i] = v;
    return Ipv4View::parse(b).error();
  };
  EXPECT_EQ(with(0, 0x44), ParseError::BadHeaderLength);  // IHL 4
  EXPECT_EQ(with(0, 0x40), ParseError::BadHeaderLength);  // IHL 0
  EXPECT_EQ(with(0, 0x4f), ParseError::Truncated);        // 60-byte header in 40 bytes
  EXPECT_EQ(with(0, 0x65), ParseError::BadVersion);
  EXPECT_EQ(with(0, 0x05), ParseError::BadVersion);
  EXPECT_EQ(with(3, 0x29), ParseError::Truncated);        // total 41 > 40
  EXPECT_EQ(with(3, 0x13), ParseError::BadLength);        // total 19 < header
  EXPECT_EQ(with(2, 0xff), ParseError::Truncated);
  EXPECT_EQ(with(3, 0x14), ParseError::None);             // total 20: header only
}

TEST(Ipv4, QuotedAcceptsShortPacket) {
  Bytes b = ip_part(captures::http_get());
  b.resize(28);  // what an ICMP error quotes: header + 8 bytes
  EXPECT_EQ(Ipv4View::parse(b).error(), ParseError::Truncated);
  auto ip = Ipv4View::parse_quoted(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->total_len(), 420);
  EXPECT_EQ(ip->payload().size(), 8u);
  EXPECT_EQ(load16(&ip->payload()[2]), 80);
  b.resize(19);
  EXPECT_EQ(Ipv4View::parse_quoted(b).error(), ParseError::Truncated);
}

TEST(Ipv4, EveryTruncation) {
  FrameSpec f{.ethernet = false, .ip_options = {1, 1, 1, 1}};
  Bytes full = build_tcp(f, {.payload = Bytes(30, 0xaa)});
  for (size_t n = 0; n <= full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + n);
    auto ip = Ipv4View::parse(cut);
    if (n < full.size()) {
      EXPECT_EQ(ip.error(), ParseError::Truncated) << n;
    } else {
      ASSERT_TRUE(ip);
    }
    auto q = Ipv4View::parse_quoted(cut);
    EXPECT_EQ(bool(q), n >= 24) << n;
    if (q) {
      EXPECT_EQ(q->payload().size(), n - 24);
    }
  }
}

TEST(Ipv4, Setters) {
  Bytes b = ip_part(captures::http_get());
  auto ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip);
  ip->set_src(*Addr::parse("1.2.3.4"));
  ip->set_dst(*Addr::parse("5.6.7.8"));
  ip->set_ttl(9);
  ip->set_tos(0x10);
  ip->set_id(0xbeef);
  ip->set_protocol(ipproto::Udp);
  EXPECT_FALSE(ip->checksum_ok());
  ip->update_checksum();
  EXPECT_TRUE(ip->checksum_ok());
  EXPECT_EQ(ip->src().str(), "1.2.3.4");
  EXPECT_EQ(ip->dst().str(), "5.6.7.8");
  EXPECT_EQ(ip->ttl(), 9);
  EXPECT_EQ(ip->tos(), 0x10);
  EXPECT_EQ(ip->id(), 0xbeef);
  EXPECT_EQ(ip->protocol(), ipproto::Udp);
  EXPECT_EQ(b[12], 1);
  EXPECT_EQ(b[19], 8);
  ip->set_total_len(100);
  EXPECT_EQ(ip->total_len(), 100);
}

TEST(Ipv4, DecrementTtlKeepsChecksum) {
  Bytes b = ip_part(captures::http_get());
  auto ip = Ipv4View::parse(b);
  for (int i = 0; i < 64; ++i) {
    ip->decrement_ttl();
    ASSERT_TRUE(ip->checksum_ok()) << i;
  }
  EXPECT_EQ(ip->ttl(), 0);
}

TEST(Ipv4, RandomBytesStayInBounds) {
  std::mt19937 rng(6);
  for (int t = 0; t < 100000; ++t) {
    Bytes b(rng() % 80);
    for (auto& x : b) x = uint8_t(rng());
    if (!b.empty() && t % 2) b[0] = uint8_t(0x40 | (b[0] & 0x0f));  // mostly version 4
    for (bool quoted : {false, true}) {
      auto ip = quoted ? Ipv4View::parse_quoted(b) : Ipv4View::parse(b);
      if (!ip) continue;
      ASSERT_GE(ip->header_len(), 20u);
      ASSERT_LE(ip->header_len(), ip->bytes().size());
      ASSERT_LE(ip->bytes().size(), b.size());
      if (!quoted) {
        ASSERT_EQ(ip->bytes().size(), ip->total_len());
      }
      (void)ip->options();
      (void)ip->checksum_ok();
    }
  }
}

}  // namespace
}  // namespace ulvs::net
