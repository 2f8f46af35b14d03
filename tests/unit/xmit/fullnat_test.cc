// FULLNAT: both addresses and ports rewritten; results compared byte for byte with frames
// built directly, so every checksum equals a full recomputation.
#include "xmit/fullnat.h"

#include <gtest/gtest.h>

#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

class FullNatTest : public ::testing::TestWithParam<Variant> {};

TEST_P(FullNatTest, InGoesFromLocalAddressToRealServer) {
  const Variant v = GetParam();
  Flow fl = flow(v.fam);
  ipvs::Conn c = make_conn(fl);
  TestFrame t(make_frame(v, fl.client, fl.cport, fl.vip, fl.vport));
  ASSERT_EQ(fullnat_in(t.buf, t.parse(), c, fl.local), Status::Ok);
  EXPECT_EQ(t.bytes(), make_frame(v, fl.local, fl.lport, fl.real, fl.dport));
  EXPECT_TRUE(checksums_ok(t.bytes()));
  net::ParsedFrame p = t.parse();
  EXPECT_EQ(p.src, fl.local);
  EXPECT_EQ(p.src_port, fl.lport);
  EXPECT_EQ(p.dst, fl.real);
  EXPECT_EQ(p.dst_port, fl.dport);
}

TEST_P(FullNatTest, OutGoesFromVirtualServiceToClient) {
  const Variant v = GetParam();
  Flow fl = flow(v.fam);
  ipvs::Conn c = make_conn(fl);
  TestFrame t(make_frame(v, fl.real, fl.dport, fl.local, fl.lport));
  ASSERT_EQ(fullnat_out(t.buf, t.parse(), c, fl.local), Status::Ok);
  EXPECT_EQ(t.bytes(), make_frame(v, fl.vip, fl.vport, fl.client, fl.cport));
  EXPECT_TRUE(checksums_ok(t.bytes()));
}

INSTANTIATE_TEST_SUITE_P(All, FullNatTest, ::testing::ValuesIn(all_variants()), variant_name);

namespace {
Bytes icmp_error(const net::Addr& from, const net::Addr& to, const Bytes& quoted) {
  bool v4 = from.is_v4();
  return net::build_icmp({.vlans = {5}, .src = from, .dst = to},
                         {.type = v4 ? net::icmp4::TimeExceeded : net::icmp6::TimeExceeded, .payload = quoted});
}
}  // namespace

TEST(FullNatIcmp, BothDirections) {
  for (auto v : all_variants()) {
    Flow fl = flow(v.fam);
    ipvs::Conn c = make_conn(fl);
    Variant plain{v.fam, v.proto, 0, v.ip_options};
    // From the client's side, about VIP:vport → client:cport.
    Bytes reply = ip_packet(make_frame(plain, fl.vip, fl.vport, fl.client, fl.cport));
    Bytes server_sent = ip_packet(make_frame(plain, fl.real, fl.dport, fl.local, fl.lport));
    TestFrame in(icmp_error(fl.client, fl.vip, reply));
    ASSERT_EQ(fullnat_icmp_in(in.buf, in.parse(), c, fl.local), Status::Ok);
    EXPECT_EQ(in.bytes(), icmp_error(fl.local, fl.real, server_sent)) << variant_name({v, 0});
    EXPECT_TRUE(checksums_ok(in.bytes()));
    // From the server's side, about laddr:lport → RS:dport.
    Bytes request = ip_packet(make_frame(plain, fl.local, fl.lport, fl.real, fl.dport));
    Bytes client_sent = ip_packet(make_frame(plain, fl.client, fl.cport, fl.vip, fl.vport));
    TestFrame out(icmp_error(fl.real, fl.local, request));
    ASSERT_EQ(fullnat_icmp_out(out.buf, out.parse(), c, fl.local), Status::Ok);
    EXPECT_EQ(out.bytes(), icmp_error(fl.vip, fl.client, client_sent)) << variant_name({v, 0});
    EXPECT_TRUE(checksums_ok(out.bytes()));
  }
}

TEST(FullNat, TruncatedOrStaleInputIsRefusedNotCrashed) {
  for (auto v : all_variants()) {
    Flow fl = flow(v.fam);
    ipvs::Conn c = make_conn(fl);
    for_each_prefix(make_frame(v, fl.client, fl.cport, fl.vip, fl.vport), [&](PacketBuf& b, const net::ParsedFrame& p) {
      EXPECT_NE(fullnat_in(b, p, c, fl.local), Status::Ok);
      EXPECT_NE(fullnat_out(b, p, c, fl.local), Status::Ok);
      EXPECT_NE(fullnat_icmp_in(b, p, c, fl.local), Status::Ok);
      EXPECT_NE(fullnat_icmp_out(b, p, c, fl.local), Status::Ok);
    });
  }
}

TEST(FullNat, LocalAddressOfTheOtherFamilyIsRefused) {
  Flow fl = flow(net::Family::V4);
  ipvs::Conn c = make_conn(fl);
  TestFrame t(make_frame({net::Family::V4, net::ipproto::Tcp, 0, false}, fl.client, fl.cport, fl.vip, fl.vport));
  Bytes before = t.bytes();
  EXPECT_EQ(fullnat_in(t.buf, t.parse(), c, A("fd00::1")), Status::Unsupported);
  EXPECT_EQ(t.bytes(), before);
}
