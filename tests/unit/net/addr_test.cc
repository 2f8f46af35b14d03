// addr_test.cc — net::Addr and net::Endpoint: parsing and printing as ipvsadm does, fold,
// masks, and the kernel's hash_32.
#include "net/addr.h"

#include <gtest/gtest.h>

namespace ulvs::net {
namespace {

TEST(Addr, ParseAndPrintV4) {
  auto a = Addr::parse("10.0.0.1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->size(), 4);
  EXPECT_EQ(a->v4_host(), 0x0a000001u);
  EXPECT_EQ(a->str(), "10.0.0.1");
  EXPECT_EQ(*a, Addr::v4(0x0a000001));
  uint8_t raw[] = {10, 0, 0, 1};
  EXPECT_EQ(*a, Addr::v4_bytes(raw));
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "1.2.3.4.5", "a.b.c.d", "10.0.0.1 "})
    EXPECT_FALSE(Addr::parse(bad)) << bad;
}

TEST(Addr, ParseAndPrintV6) {
  auto a = Addr::parse("2001:db8::1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v6());
  EXPECT_EQ(a->size(), 16);
  EXPECT_EQ(a->bytes[0], 0x20);
  EXPECT_EQ(a->bytes[15], 1);
  EXPECT_EQ(a->str(), "2001:db8::1");
  EXPECT_EQ(Addr::parse("2001:0DB8:0:0:0:0:0:1")->str(), "2001:db8::1");
  EXPECT_EQ(Addr::parse("::ffff:10.0.0.1")->str(), "::ffff:10.0.0.1");
  EXPECT_EQ(*a, Addr::v6_bytes(a->bytes.data()));
  EXPECT_FALSE(Addr::parse("2001:db8:::1"));
  EXPECT_FALSE(Addr::parse("[2001:db8::1]"));
  EXPECT_FALSE(Addr::parse(std::string(46, '1')));
}

TEST(Addr, FamiliesNeverCompareEqual) {
  Addr v4 = Addr::v4(0);
  Addr v6 = *Addr::parse("::");
  EXPECT_TRUE(v4.is_zero());
  EXPECT_TRUE(v6.is_zero());
  EXPECT_NE(v4, v6);
  EXPECT_LT(v4, v6);  // V4 (4) orders before V6 (6)
  EXPECT_FALSE(Addr::v4(1).is_zero());
}

TEST(Addr, Fold) {
  EXPECT_EQ(Addr::parse("192.168.1.2")->fold(), 0xc0a80102u);
  // XOR of the four words: 0x20010db8 ^ 0 ^ 0 ^ 1.
  EXPECT_EQ(Addr::parse("2001:db8::1")->fold(), 0x20010db9u);
  EXPECT_EQ(Addr::parse("::1:0:0:0")->fold(), 0x00010000u);  // groups 4-5 form word 2
}

TEST(Addr, Masked) {
  EXPECT_EQ(Addr::parse("10.1.2.3")->masked(0xffffff00).str(), "10.1.2.0");
  EXPECT_EQ(Addr::parse("10.1.2.3")->masked(0).str(), "0.0.0.0");
  auto a = *Addr::parse("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff");
  EXPECT_EQ(a.masked(128), a);
  EXPECT_EQ(a.masked(200), a);
  EXPECT_EQ(a.masked(64).str(), "2001:db8:aaaa:bbbb::");
  EXPECT_EQ(a.masked(36).str(), "2001:db8:a000::");
  EXPECT_EQ(a.masked(0).str(), "::");
}

TEST(Endpoint, ParseAndPrint) {
  auto e = Endpoint::parse("10.0.0.1:80");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->port, 80);
  EXPECT_EQ(e->str(), "10.0.0.1:80");
  EXPECT_EQ(Endpoint::parse("10.0.0.1")->port, 0);
  auto v6 = Endpoint::parse("[2001:db8::1]:8080");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->addr.is_v6());
  EXPECT_EQ(v6->port, 8080);
  EXPECT_EQ(v6->str(), "[2001:db8::1]:8080");
  EXPECT_EQ(Endpoint::parse("[::1]")->port, 0);
  EXPECT_EQ(Endpoint::parse("1.2.3.4:65535")->port, 65535);
  for (const char* bad : {"10.0.0.1:", "10.0.0.1:65536", "10.0.0.1:x", "[2001:db8::1]:",
                          "[2001:db8::1", "2001:db8::1", "[10.0.0.1]:80", "[::1]80", "1.2.3.4:-1"})
    EXPECT_FALSE(Endpoint::parse(bad)) << bad;
}

TEST(Hash32, KernelValues) {
  // hash_32(val, bits) = (val * 0x61C88647) >> (32 - bits), computed by hand.
  EXPECT_EQ(hash_32(1, 8), 0x61u);
  EXPECT_EQ(hash_32(0, 12), 0u);
  EXPECT_EQ(hash_32(2, 32), 0xC3910C8Eu);
  EXPECT_EQ(hash_32(0xffffffff, 16), uint32_t(0x9E3779B9u >> 16));  // -x * golden = 2^32 - golden
}

}  // namespace
}  // namespace ulvs::net
