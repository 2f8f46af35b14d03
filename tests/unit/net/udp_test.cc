// udp_test.cc — UdpView: built and hand-written datagrams, length lies, truncation, setters.
#include "net/udp.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "net/builder.h"
#include "net/checksum.h"


namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(Udp, KnownDatagram) {
  // gopacket's Wireshark-checked vector: 192.0.2.1:12345 > 198.51.100.1:9999, empty, 0xbc5f.
  Bytes b = from_hex("3039 270f 0008 bc5f");
  auto udp = UdpView::parse(b);
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->src_port(), 12345);
  EXPECT_EQ(udp->dst_port(), 9999);
  EXPECT_EQ(udp->length(), 8);
  EXPECT_EQ(udp->checksum(), 0xbc5f);
  EXPECT_TRUE(udp->payload().empty());
}

TEST(Udp, BuiltDatagram) {
  FrameSpec f{.ethernet = false, .src = *Addr::parse("192.0.2.1"), .dst = *Addr::parse("198.51.100.1")};
  Bytes b = build_udp(f, {.src_port = 12345, .dst_port = 9999});
  auto udp = UdpView::parse(std::span(b).subspan(20));
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->checksum(), 0xbc5f);  // builder agrees with Wireshark
  b = build_udp(f, {.src_port = 1, .dst_port = 2, .payload = {9, 8, 7}, .no_checksum = true});
  udp = UdpView::parse(std::span(b).subspan(20));
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->checksum(), 0);
  EXPECT_EQ(udp->length(), 11);
  ASSERT_EQ(udp->payload().size(), 3u);
  EXPECT_EQ(udp->payload()[2], 7);
}

TEST(Udp, LengthLies) {
  Bytes b = from_hex("3039 270f 000c 0000 0102 0304 ffff");  // 12 of 14 bytes are UDP
  auto udp = UdpView::parse(b);
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->bytes().size(), 12u);  // trailing bytes are not payload
  EXPECT_EQ(udp->payload().size(), 4u);
  b[5] = 0x0f;  // 15 > 14
  EXPECT_EQ(UdpView::parse(b).error(), ParseError::Truncated);
  b[5] = 0x07;  // shorter than its own header
  EXPECT_EQ(UdpView::parse(b).error(), ParseError::BadLength);
  b[5] = 0x00;
  EXPECT_EQ(UdpView::parse(b).error(), ParseError::BadLength);
}

TEST(Udp, EveryTruncation) {
  Bytes full = from_hex("3039 270f 0010 1234 6162 6364 6566 6768");
  for (size_t n = 0; n <= full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + n);
    auto udp = UdpView::parse(cut);
    EXPECT_EQ(bool(udp), n == full.size()) << n;
    if (!udp) {
      EXPECT_EQ(udp.error(), ParseError::Truncated);
    }
  }
}

TEST(Udp, Setters) {
  Bytes b = from_hex("3039 270f 0008 bc5f");
  auto udp = UdpView::parse(b);
  udp->set_src_port(53);
  udp->set_dst_port(5353);
  udp->set_checksum(0xffff);
  udp->set_length(8);
  EXPECT_EQ(b, from_hex("0035 14e9 0008 ffff"));
}

TEST(Udp, RandomBytesStayInBounds) {
  std::mt19937 rng(9);
  for (int t = 0; t < 100000; ++t) {
    Bytes b(rng() % 40);
    for (auto& x : b) x = uint8_t(rng());
    if (b.size() >= 8) store16(&b[4], uint16_t(rng() % 48));
    auto udp = UdpView::parse(b);
    if (!udp) continue;
    ASSERT_EQ(udp->bytes().size(), udp->length());
    ASSERT_LE(udp->bytes().size(), b.size());
    ASSERT_EQ(udp->payload().size(), udp->length() - 8u);
  }
}

}  // namespace
}  // namespace ulvs::net
