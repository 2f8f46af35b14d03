// PROXY protocol headers against the examples of HAProxy's proxy-protocol.txt.
#include "xmit/proxy_protocol.h"

#include <gtest/gtest.h>

#include <string>

#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

namespace {
std::string text(const ProxyHeader& h) { return std::string(h.span().begin(), h.span().end()); }
const Bytes kSig = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
Bytes v2(const ProxyHeader& h) { return Bytes(h.span().begin(), h.span().end()); }
}  // namespace

TEST(ProxyV1, Tcp4AndTcp6) {
  EXPECT_EQ(text(proxy_v1({A("192.168.0.1"), 56324}, {A("192.168.0.11"), 443})),
            "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
  EXPECT_EQ(text(proxy_v1({A("2001:db8::1"), 40000}, {A("2001:db8:100::100"), 80})),
            "PROXY TCP6 2001:db8::1 2001:db8:100::100 40000 80\r\n");
  EXPECT_EQ(text(proxy_v1({A("1.1.1.1"), 1}, {A("::1"), 2})), "PROXY UNKNOWN\r\n");
}

TEST(ProxyV1, LongestFits) {
  auto h = proxy_v1({A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), 65535},
                    {A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 65535});
  EXPECT_LE(h.len, 107u);
  EXPECT_EQ(text(h).substr(h.len - 2), "\r\n");
}

TEST(ProxyV2, Tcp4) {
  Bytes want = kSig;
  Bytes rest = {0x21, 0x11, 0x00, 0x0C, 1, 1, 1, 1, 10, 0, 0, 100, 0x9c, 0x40, 0x00, 0x50};
  want.insert(want.end(), rest.begin(), rest.end());
  EXPECT_EQ(v2(proxy_v2({A("1.1.1.1"), 40000}, {A("10.0.0.100"), 80}, net::ipproto::Tcp)), want);
}

TEST(ProxyV2, Udp6) {
  auto h = proxy_v2({A("2001:db8::1"), 5353}, {A("2001:db8::2"), 53}, net::ipproto::Udp);
  Bytes got = v2(h);
  ASSERT_EQ(got.size(), 16u + 36u);
  EXPECT_EQ(slice(got, 0, 12), kSig);
  EXPECT_EQ(slice(got, 12, 4), (Bytes{0x21, 0x22, 0x00, 0x24}));
  auto c = A("2001:db8::1").bytes, s = A("2001:db8::2").bytes;
  EXPECT_EQ(slice(got, 16, 16), Bytes(c.begin(), c.end()));
  EXPECT_EQ(slice(got, 32, 16), Bytes(s.begin(), s.end()));
  EXPECT_EQ(slice(got, 48, 4), (Bytes{0x14, 0xe9, 0x00, 0x35}));
}

TEST(ProxyV2, MixedFamiliesOrOtherProtocolIsUnspec) {
  Bytes want = kSig;
  Bytes rest = {0x21, 0x00, 0x00, 0x00};
  want.insert(want.end(), rest.begin(), rest.end());
  EXPECT_EQ(v2(proxy_v2({A("1.1.1.1"), 1}, {A("::1"), 2}, net::ipproto::Tcp)), want);
  EXPECT_EQ(v2(proxy_v2({A("1.1.1.1"), 1}, {A("2.2.2.2"), 2}, net::ipproto::Sctp)), want);
}
