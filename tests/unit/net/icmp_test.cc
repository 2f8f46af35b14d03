// icmp_test.cc — IcmpView for ICMPv4 and ICMPv6: echo, errors and their quoted packet,
// packet-too-big MTU, truncation, setters.
#include "net/icmp.h"

#include <gtest/gtest.h>

#include <vector>

#include "net/builder.h"
#include "net/captures.h"
#include "net/checksum.h"
#include "net/ipv4.h"
#include "net/ipv6.h"


namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Icmp, CapturedNeighborAdvert) {
  Bytes f = captures::icmpv6_neighbor_advert();
  auto icmp = IcmpView::parse(std::span(f).subspan(54), Family::V6);
  ASSERT_TRUE(icmp);
  EXPECT_EQ(icmp->type(), icmp6::NeighborAdvert);
  EXPECT_EQ(icmp->code(), 0);
  EXPECT_EQ(icmp->checksum(), 0x1ed6);
  EXPECT_EQ(icmp->rest(), 0x40000000u);  // "solicited" flag
  EXPECT_FALSE(icmp->is_error());
  EXPECT_EQ(icmp->payload().size(), 16u);  // the target address
}

TEST(Icmp, HandWrittenEchoRequest) {
  // ping 10.0.0.2 id 0x1234 seq 1, payload "abcd"; checksum worked out by hand:
  // 0800 + 1234 + 0001 + 6162 + 6364 = 0xdefb -> ~ = 0x2104.
  Bytes m = from_hex("0800 2104 1234 0001 6162 6364");
  auto icmp = IcmpView::parse(m, Family::V4);
  ASSERT_TRUE(icmp);
  EXPECT_TRUE(icmp->is_echo_request());
  EXPECT_FALSE(icmp->is_echo_reply());
  EXPECT_EQ(icmp->echo_id(), 0x1234);
  EXPECT_EQ(icmp->echo_seq(), 1);
  EXPECT_EQ(icmp_checksum(m), 0x2104);
  EXPECT_EQ(internet_checksum(m), 0);
  // The builder produces the same message.
  FrameSpec f{.ethernet = false};
  Bytes data{'a', 'b', 'c', 'd'};
  Bytes built = build_icmp_echo(f, false, 0x1234, 1, data);
  EXPECT_EQ(Bytes(built.begin() + 20, built.end()), m);
}

TEST(Icmp, EchoV6FromBuilder) {
  FrameSpec f{.ethernet = false, .src = *Addr::parse("fd00::1"), .dst = *Addr::parse("fd00::2")};
  Bytes b = build_icmp_echo(f, true, 7, 9);
  auto ip = Ipv6View::parse(b);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->upper_protocol(), ipproto::Icmpv6);
  auto icmp = IcmpView::parse(ip->payload(), Family::V6);
  ASSERT_TRUE(icmp);
  EXPECT_TRUE(icmp->is_echo_reply());
  EXPECT_EQ(icmp->type(), icmp6::EchoReply);
  EXPECT_EQ(icmp->echo_id(), 7);
  EXPECT_EQ(icmp->echo_seq(), 9);
  EXPECT_EQ(icmpv6_checksum(ip->src(), ip->dst(), ip->payload()), icmp->checksum());
}

TEST(Icmp, ErrorClassification) {
  Bytes m(8, 0);
  auto v4 = IcmpView::parse(m, Family::V4);
  auto v6 = IcmpView::parse(m, Family::V6);
  for (int t = 0; t < 256; ++t) {
    v4->set_type(uint8_t(t));
    bool err4 = t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
    EXPECT_EQ(v4->is_error(), err4) << t;
    EXPECT_EQ(v6->is_error(), t < 128) << t;  // same bytes, other family
  }
}

TEST(Icmp, FragNeededQuotesTheTcpPacket) {
  // What a router sends back for one of our packets: header + 8 bytes of it, quoted.
  FrameSpec inner{.ethernet = false, .src = *Addr::parse("10.0.0.2"), .dst = *Addr::parse("192.0.2.7")};
  Bytes orig = build_tcp(inner, {.src_port = 80, .dst_port = 51000, .payload = Bytes(1400, 0)});
  Bytes quoted(orig.begin(), orig.begin() + 28);
  FrameSpec outer{.ethernet = false, .src = *Addr::parse("198.51.100.1"), .dst = inner.src};
  Bytes b = build_icmp(outer, {.type = icmp4::DestUnreach, .code = icmp4::FragNeeded,
                               .rest = 1400, .payload = quoted});
  auto ip = Ipv4View::parse(b);
  ASSERT_TRUE(ip);
  auto icmp = IcmpView::parse(ip->payload(), Family::V4);
  ASSERT_TRUE(icmp);
  EXPECT_TRUE(icmp->is_error());
  EXPECT_EQ(icmp->mtu(), 1400u);
  EXPECT_EQ(internet_checksum(icmp->bytes()), 0);
  auto q = Ipv4View::parse_quoted(icmp->payload());
  ASSERT_TRUE(q);
  EXPECT_EQ(q->src(), inner.src);
  EXPECT_EQ(q->dst(), inner.dst);
  EXPECT_EQ(q->total_len(), 1440);
  EXPECT_EQ(load16(&q->payload()[0]), 80);
  EXPECT_EQ(load16(&q->payload()[2]), 51000);
}

TEST(Icmp, PacketTooBigV6) {
  FrameSpec f{.ethernet = false, .src = *Addr::parse("fd00::1"), .dst = *Addr::parse("fd00::2")};
  Bytes b = build_icmp(f, {.type = icmp6::PacketTooBig, .rest = 1280});
  auto icmp = IcmpView::parse(std::span(b).subspan(40), Family::V6);
  ASSERT_TRUE(icmp);
  EXPECT_TRUE(icmp->is_error());
  EXPECT_EQ(icmp->mtu(), 1280u);
}

TEST(Icmp, TruncationAndSetters) {
  Bytes m = from_hex("0800 2104 1234 0001 6162 6364");
  for (size_t n = 0; n < 8; ++n) {
    Bytes cut(m.begin(), m.begin() + n);
    EXPECT_EQ(IcmpView::parse(cut, Family::V4).error(), ParseError::Truncated) << n;
  }
  Bytes head(m.begin(), m.begin() + 8);
  auto icmp = IcmpView::parse(head, Family::V4);
  ASSERT_TRUE(icmp);
  EXPECT_TRUE(icmp->payload().empty());
  icmp->set_type(icmp4::EchoReply);
  icmp->set_code(0);
  icmp->set_echo_id(0xabcd);
  icmp->set_echo_seq(0x0102);
  icmp->set_checksum(0xfeed);
  EXPECT_EQ(head, from_hex("0000 feed abcd 0102"));
  icmp->set_rest(0x11223344);
  EXPECT_EQ(icmp->rest(), 0x11223344u);
  EXPECT_EQ(icmp->mtu(), 0x3344u);
  EXPECT_EQ(icmp->family(), Family::V4);
}

}  // namespace
}  // namespace ulvs::net
