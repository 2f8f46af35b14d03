// ipv6_test.cc — Ipv6View: captured packets, the extension-header walk (hop-by-hop, routing,
// fragment, destination options, AH), fragment info, truncation, lying lengths, random bytes.
#include "net/ipv6.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "net/builder.h"
#include "net/captures.h"


namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

const Addr kA = *Addr::parse("2001:db8::1");
const Addr kB = *Addr::parse("2001:db8::2");

// Fixed header + HBH(8) + routing(8) + fragment(8) + dest-opts(16) + AH(24) + 20-byte TCP,
// written byte by byte.
Bytes long_chain(uint16_t frag_field = 0x0001 /* offset 0, M=1 */) {
  Bytes b = from_hex("6000 0000 0000 0040");  // payload length patched below; nh = HBH
  b.insert(b.end(), kA.bytes.begin(), kA.bytes.end());
  b.insert(b.end(), kB.bytes.begin(), kB.bytes.end());
  Bytes ext = from_hex(
      "2b00 0104 0000 0000"                     // HBH -> routing, PadN
      "2c00 0000 0000 0000"                     // routing -> fragment (type 0, segs left 0)
      "3c00 ffff dead beef"                     // fragment -> dest opts; frag field, id
      "3301 0106 0000 0000 0000 0000 0000 0000"  // dest opts (16 B) -> AH
      "0604 0000 0000 0001 0000 0001 aaaa aaaa bbbb bbbb cccc cccc");  // AH (24 B) -> TCP
  ext[18] = uint8_t(frag_field >> 8);
  ext[19] = uint8_t(frag_field);
  Bytes tcp = from_hex("3039 0050 0000 0001 0000 0000 5002 ffff 0000 0000");
  b.insert(b.end(), ext.begin(), ext.end());
  b.insert(b.end(), tcp.begin(), tcp.end());
  store16(&b[4], uint16_t(b.size() - 40));
  return b;
}

TEST(Ipv6, CapturedNeighborAdvert) {
  Bytes f = captures::icmpv6_neighbor_advert();
  Bytes b(f.begin() + 14, f.end());
  auto ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->version(), 6);
  EXPECT_EQ(ip->traffic_class(), 0);
  EXPECT_EQ(ip->flow_label(), 0u);
  EXPECT_EQ(ip->payload_len(), 24);
  EXPECT_EQ(ip->next_header(), ipproto::Icmpv6);
  EXPECT_EQ(ip->upper_protocol(), ipproto::Icmpv6);
  EXPECT_EQ(ip->hop_limit(), 255);
  EXPECT_EQ(ip->src().str(), "2620:0:1005:0:26be:5ff:fe27:b17");
  EXPECT_EQ(ip->dst().str(), "fe80::21f:caff:feb3:7640");
  EXPECT_EQ(ip->header_len(), 40u);
  EXPECT_EQ(ip->payload().size(), 24u);
  EXPECT_EQ(ip->payload()[0], 136);
  EXPECT_FALSE(ip->is_fragment());
}

TEST(Ipv6, CapturedHopByHopAndDstOpts) {
  for (Bytes b : {captures::ipv6_hop_by_hop(), captures::ipv6_dst_opts()}) {
    auto ip = Ipv6View::parse(b);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->upper_protocol(), ipproto::NoNext);
    EXPECT_EQ(ip->header_len(), 48u);
    EXPECT_EQ(ip->ext_headers().size(), 8u);
    EXPECT_TRUE(ip->payload().empty());
    EXPECT_EQ(ip->src(), kA);
    EXPECT_EQ(ip->dst(), kB);
  }
}

TEST(Ipv6, WalksEveryExtensionHeader) {
  Bytes b = long_chain();
  auto ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->next_header(), ipproto::HopOpts);
  EXPECT_EQ(ip->upper_protocol(), ipproto::Tcp);
  EXPECT_EQ(ip->header_len(), 40u + 8 + 8 + 8 + 16 + 24);
  ASSERT_EQ(ip->payload().size(), 20u);
  EXPECT_EQ(load16(&ip->payload()[2]), 80);
  EXPECT_TRUE(ip->is_fragment());
  EXPECT_TRUE(ip->more_fragments());
  EXPECT_EQ(ip->frag_offset(), 0u);
  EXPECT_EQ(ip->frag_id(), 0xdeadbeef);
}

TEST(Ipv6, FragmentOffset) {
  Bytes b = long_chain(uint16_t(1232 | 0));  // offset 1232, last fragment
  auto ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_TRUE(ip->is_fragment());
  EXPECT_FALSE(ip->more_fragments());
  EXPECT_EQ(ip->frag_offset(), 1232u);
}

TEST(Ipv6, BuilderFragmentHeader) {
  FrameSpec f{.ethernet = false, .src = kA, .dst = kB,
              .fragment = FragmentSpec{.offset = 2960, .more = true, .id = 42}};
  Bytes b = build_udp(f, {.payload = {1, 2, 3, 4}});
  auto ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->next_header(), ipproto::Fragment);
  EXPECT_EQ(ip->upper_protocol(), ipproto::Udp);
  EXPECT_EQ(ip->frag_offset(), 2960u);
  EXPECT_TRUE(ip->more_fragments());
  EXPECT_EQ(ip->frag_id(), 42u);
  EXPECT_EQ(ip->payload().size(), 12u);
}

TEST(Ipv6, EspAndNoNextEndTheWalk) {
  Bytes b = long_chain();
  b[40 + 40] = ipproto::Esp;  // AH's next header (AH starts at 40+8+8+8+16)
  auto ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->upper_protocol(), ipproto::Esp);
  EXPECT_EQ(ip->payload().size(), 20u);
}

TEST(Ipv6, EveryTruncation) {
  Bytes full = long_chain();
  for (size_t n = 0; n <= full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + n);
    auto ip = Ipv6View::parse(cut);
    if (n < full.size()) {
      EXPECT_EQ(ip.error(), ParseError::Truncated) << n;
    } else {
      EXPECT_TRUE(ip);
    }
    // Quoted: succeeds exactly when the whole extension chain is present.
    auto q = Ipv6View::parse_quoted(cut);
    EXPECT_EQ(bool(q), n >= 104) << n;
    if (q) {
      EXPECT_EQ(q->payload().size(), n - 104);
    }
  }
}

TEST(Ipv6, LyingLengths) {
  Bytes b = long_chain();
  Bytes bad = b;
  store16(&bad[4], uint16_t(b.size() - 40 + 1));  // payload length one past the buffer
  EXPECT_EQ(Ipv6View::parse(bad).error(), ParseError::Truncated);
  bad = b;
  bad[40 + 1] = 0xff;  // hop-by-hop claims 2048 bytes
  EXPECT_EQ(Ipv6View::parse(bad).error(), ParseError::Truncated);
  bad = b;
  bad[40 + 24 + 1] = 0x40;  // dest opts (at 64) claims 520 bytes
  EXPECT_EQ(Ipv6View::parse(bad).error(), ParseError::Truncated);
  bad = b;
  bad[40 + 40 + 1] = 0x20;  // AH claims 136 bytes
  EXPECT_EQ(Ipv6View::parse(bad).error(), ParseError::Truncated);
  bad = b;
  bad[0] = 0x40;
  EXPECT_EQ(Ipv6View::parse(bad).error(), ParseError::BadVersion);
  // Payload length shorter than the chain: the walk must stop at the claimed end.
  bad = b;
  store16(&bad[4], 20);
  EXPECT_EQ(Ipv6View::parse(bad).error(), ParseError::Truncated);
  // A chain that loops on itself (every header says "hop-by-hop next") runs out of bytes.
  Bytes loop = from_hex("6000 0000 0040 0040");
  loop.resize(40 + 64, 0);  // 8 zero-filled headers, each "next = HBH, len 0"
  EXPECT_EQ(Ipv6View::parse(loop).error(), ParseError::Truncated);
}

TEST(Ipv6, Setters) {
  Bytes b = long_chain();
  b[1] = 0x0a;  // flow label high nibble
  auto ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip);
  uint32_t flow = ip->flow_label();
  ip->set_traffic_class(0xb8);
  EXPECT_EQ(ip->traffic_class(), 0xb8);
  EXPECT_EQ(ip->flow_label(), flow);
  EXPECT_EQ(ip->version(), 6);
  ip->set_hop_limit(3);
  EXPECT_EQ(ip->hop_limit(), 3);
  Addr c = *Addr::parse("fd00::c"), d = *Addr::parse("fd00::d");
  ip->set_src(c);
  ip->set_dst(d);
  EXPECT_EQ(ip->src(), c);
  EXPECT_EQ(ip->dst(), d);
  ip->set_payload_len(7);
  EXPECT_EQ(ip->payload_len(), 7);
}

TEST(Ipv6, RandomBytesStayInBounds) {
  std::mt19937 rng(7);
  const uint8_t ext[] = {0, 43, 44, 51, 60, 6, 17, 58};
  for (int t = 0; t < 100000; ++t) {
    Bytes b(40 + rng() % 120);
    for (auto& x : b) x = uint8_t(rng());
    b[0] = uint8_t(0x60 | (b[0] & 0x0f));
    b[6] = ext[rng() % 8];
    store16(&b[4], uint16_t(t % 3 ? b.size() - 40 : rng() % 200));
    for (size_t i = 40; i + 1 < b.size(); i += 8)
      if (rng() % 2) b[i] = ext[rng() % 8], b[i + 1] = uint8_t(rng() % 4);
    for (bool quoted : {false, true}) {
      auto ip = quoted ? Ipv6View::parse_quoted(b) : Ipv6View::parse(b);
      if (!ip) continue;
      ASSERT_LE(ip->header_len(), ip->bytes().size());
      ASSERT_LE(ip->bytes().size(), b.size());
      (void)ip->frag_offset();
      (void)ip->frag_id();
      (void)ip->more_fragments();
    }
  }
}

}  // namespace
}  // namespace ulvs::net
