// NAT: a rewritten frame must equal, byte for byte, the frame built directly with the new
// addresses (so every checksum equals a full recomputation), for IPv4/IPv6, TCP/UDP, VLAN
// tags and IPv4 options; ICMP errors have their quoted headers rewritten too.
#include "xmit/nat.h"

#include <gtest/gtest.h>

#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

class NatTest : public ::testing::TestWithParam<Variant> {};

TEST_P(NatTest, InRewritesDestinationToRealServer) {
  const Variant v = GetParam();
  Flow fl = flow(v.fam);
  ipvs::Conn c = make_conn(fl);
  TestFrame t(make_frame(v, fl.client, fl.cport, fl.vip, fl.vport));
  ASSERT_EQ(nat_in(t.buf, t.parse(), c), Status::Ok);
  EXPECT_EQ(t.bytes(), make_frame(v, fl.client, fl.cport, fl.real, fl.dport));
  EXPECT_TRUE(checksums_ok(t.bytes()));
  net::ParsedFrame p = t.parse();
  EXPECT_EQ(p.dst, fl.real);
  EXPECT_EQ(p.dst_port, fl.dport);
  EXPECT_EQ(p.src, fl.client);
  EXPECT_EQ(p.src_port, fl.cport);
  EXPECT_EQ(p.vlan_count, v.vlans);
}

TEST_P(NatTest, OutRewritesSourceToVirtualService) {
  const Variant v = GetParam();
  Flow fl = flow(v.fam);
  ipvs::Conn c = make_conn(fl);
  TestFrame t(make_frame(v, fl.real, fl.dport, fl.client, fl.cport));
  ASSERT_EQ(nat_out(t.buf, t.parse(), c), Status::Ok);
  EXPECT_EQ(t.bytes(), make_frame(v, fl.vip, fl.vport, fl.client, fl.cport));
  EXPECT_TRUE(checksums_ok(t.bytes()));
}

TEST_P(NatTest, InThenBackIsTheOriginal) {
  // nat_in, then the same rewrite with VIP as the "real server": the original bytes again.
  const Variant v = GetParam();
  Flow fl = flow(v.fam);
  ipvs::Conn c = make_conn(fl), back = c;
  back.daddr = fl.vip.bytes;
  back.dport = fl.vport;
  Bytes orig = make_frame(v, fl.client, fl.cport, fl.vip, fl.vport);
  TestFrame t(orig);
  ASSERT_EQ(nat_in(t.buf, t.parse(), c), Status::Ok);
  ASSERT_NE(t.bytes(), orig);
  ASSERT_EQ(nat_in(t.buf, t.parse(), back), Status::Ok);
  EXPECT_EQ(t.bytes(), orig);
}

TEST_P(NatTest, ManyPortsAndPayloadsMatchFullRecomputation) {
  // Exercises checksum carries: many port values and payload sizes (odd lengths too).
  const Variant v = GetParam();
  Flow fl = flow(v.fam);
  for (int i = 0; i < 64; ++i) {
    ipvs::Conn c = make_conn(fl);
    c.dport = uint16_t(i * 1031 + 1);
    c.cport = uint16_t(0xffff - i * 977);
    Bytes payload(size_t(i * 7 % 50), uint8_t(i * 13));
    TestFrame t(make_frame(v, fl.client, c.cport, fl.vip, fl.vport, payload));
    ASSERT_EQ(nat_in(t.buf, t.parse(), c), Status::Ok);
    ASSERT_EQ(t.bytes(), make_frame(v, fl.client, c.cport, fl.real, c.dport, payload)) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(All, NatTest, ::testing::ValuesIn(all_variants()), variant_name);

TEST(Nat, UdpWithoutChecksumStaysWithout) {
  Flow fl = flow(net::Family::V4);
  ipvs::Conn c = make_conn(fl);
  auto build = [&](const net::Addr& dst, uint16_t port) {
    return net::build_udp({.src = fl.client, .dst = dst}, {.src_port = fl.cport, .dst_port = port,
                                                           .payload = {1, 2, 3}, .no_checksum = true});
  };
  TestFrame t(build(fl.vip, fl.vport));
  ASSERT_EQ(nat_in(t.buf, t.parse(), c), Status::Ok);
  EXPECT_EQ(t.bytes(), build(fl.real, fl.dport));
  EXPECT_EQ(net::load16(&t.bytes()[14 + 20 + 6]), 0);
}

TEST(Nat, UdpChecksumThatBecomesZeroIsSentAsFFFF) {
  // Find a destination port for which the rewritten checksum computes to 0: it must be 0xFFFF.
  Flow fl = flow(net::Family::V4);
  for (uint32_t port = 1; port < 0x10000; ++port) {
    Bytes want = net::build_udp({.src = fl.client, .dst = fl.real}, {.src_port = fl.cport,
                                                                      .dst_port = uint16_t(port)});
    if (net::load16(&want[14 + 20 + 6]) != 0xffff) continue;
    ipvs::Conn c = make_conn(fl);
    c.dport = uint16_t(port);
    TestFrame t(net::build_udp({.src = fl.client, .dst = fl.vip}, {.src_port = fl.cport, .dst_port = 80}));
    ASSERT_EQ(nat_in(t.buf, t.parse(), c), Status::Ok);
    EXPECT_EQ(t.bytes(), want);
    return;
  }
  FAIL() << "no port gives a zero checksum";
}

TEST(Nat, NonFirstFragmentChangesOnlyTheAddress) {
  Flow fl = flow(net::Family::V4);
  ipvs::Conn c = make_conn(fl);
  Bytes data(24, 0xab);
  auto build = [&](const net::Addr& dst) {
    return net::build_ip({.src = fl.client, .dst = dst, .fragment = net::FragmentSpec{.offset = 16, .id = 9}},
                         net::ipproto::Udp, data);
  };
  TestFrame t(build(fl.vip));
  ASSERT_EQ(nat_in(t.buf, t.parse(), c), Status::Ok);
  EXPECT_EQ(t.bytes(), build(fl.real));
  EXPECT_TRUE(checksums_ok(t.bytes()));
}

TEST(Nat, RefusesWhatItCannotRewrite) {
  Flow fl = flow(net::Family::V4);
  ipvs::Conn c = make_conn(fl);
  TestFrame echo(net::build_icmp_echo({.src = fl.client, .dst = fl.vip}, false, 1, 1));
  EXPECT_EQ(nat_in(echo.buf, echo.parse(), c), Status::Unsupported);
  ipvs::Conn c6 = make_conn(flow(net::Family::V6));
  TestFrame v4(make_frame({net::Family::V4, net::ipproto::Tcp, 0, false}, fl.client, 1, fl.vip, 80));
  Bytes before = v4.bytes();
  EXPECT_EQ(nat_in(v4.buf, v4.parse(), c6), Status::Unsupported);  // family mix
  EXPECT_EQ(v4.bytes(), before);
  TestFrame arp(net::build_arp_request({2, 0, 0, 0, 0, 1}, fl.client, fl.vip));
  EXPECT_EQ(nat_in(arp.buf, arp.parse(), c), Status::Malformed);
}

TEST(Nat, TruncatedOrStaleInputIsRefusedNotCrashed) {
  for (auto v : all_variants()) {
    Flow fl = flow(v.fam);
    ipvs::Conn c = make_conn(fl);
    for_each_prefix(make_frame(v, fl.client, fl.cport, fl.vip, fl.vport), [&](PacketBuf& b, const net::ParsedFrame& p) {
      EXPECT_NE(nat_in(b, p, c), Status::Ok);
      EXPECT_NE(nat_out(b, p, c), Status::Ok);
      EXPECT_NE(nat_icmp_in(b, p, c), Status::Ok);
      EXPECT_NE(nat_icmp_out(b, p, c), Status::Ok);
    });
  }
}

// --- ICMP errors ---------------------------------------------------------------------------

namespace {

// An ICMP error from `from` to `to` quoting `quoted` (an IP packet): its IP header and up to
// `l4_len` bytes after it.
Bytes icmp_error(const net::Addr& from, const net::Addr& to, const Bytes& quoted, size_t l4_len, int vlans) {
  size_t hl = from.is_v4() ? size_t(quoted[0] & 15) * 4 : 40;
  net::FrameSpec f{.src = from, .dst = to};
  for (int i = 0; i < vlans; ++i) f.vlans.push_back(uint16_t(7 + i));
  bool v4 = from.is_v4();
  net::IcmpSpec m{.type = v4 ? net::icmp4::DestUnreach : net::icmp6::DestUnreach, .code = uint8_t(v4 ? 3 : 4),
                  .payload = slice(quoted, 0, std::min(hl + l4_len, quoted.size()))};
  return net::build_icmp(f, m);
}

struct IcmpCase {
  Variant v;
  size_t quote;  // bytes of the offending packet's L4 header quoted (after its IP header)
};

std::vector<IcmpCase> icmp_cases() {
  std::vector<IcmpCase> out;
  for (auto v : all_variants())
    for (size_t q : {1000, 8, 4}) out.push_back({v, q});
  return out;
}

}  // namespace

class NatIcmpTest : public ::testing::TestWithParam<IcmpCase> {};

TEST_P(NatIcmpTest, FromClientSideReachesRealServer) {
  // The client (or a router near it) reports an error about a reply VIP:vport → client:cport.
  auto [v, quote] = GetParam();
  Flow fl = flow(v.fam);
  ipvs::Conn c = make_conn(fl);
  Bytes reply = ip_packet(make_frame({v.fam, v.proto, 0, v.ip_options}, fl.vip, fl.vport, fl.client, fl.cport));
  Bytes as_sent = ip_packet(make_frame({v.fam, v.proto, 0, v.ip_options}, fl.real, fl.dport, fl.client, fl.cport));
  TestFrame t(icmp_error(fl.client, fl.vip, reply, quote, v.vlans));
  ASSERT_EQ(nat_icmp_in(t.buf, t.parse(), c), Status::Ok);
  EXPECT_EQ(t.bytes(), icmp_error(fl.client, fl.real, as_sent, quote, v.vlans));
  EXPECT_TRUE(checksums_ok(t.bytes()));
  net::ParsedFrame p = t.parse();
  EXPECT_EQ(p.inner.src, fl.real);
  EXPECT_EQ(p.inner.src_port, fl.dport);
}

TEST_P(NatIcmpTest, FromServerSideReachesClient) {
  // The real server (or a router) reports an error about client:cport → RS:dport.
  auto [v, quote] = GetParam();
  Flow fl = flow(v.fam);
  ipvs::Conn c = make_conn(fl);
  net::Addr router = v.fam == net::Family::V4 ? A("192.168.10.254") : A("fd00:10::fe");
  Bytes request = ip_packet(make_frame({v.fam, v.proto, 0, v.ip_options}, fl.client, fl.cport, fl.real, fl.dport));
  Bytes as_sent = ip_packet(make_frame({v.fam, v.proto, 0, v.ip_options}, fl.client, fl.cport, fl.vip, fl.vport));
  TestFrame t(icmp_error(router, fl.client, request, quote, v.vlans));
  ASSERT_EQ(nat_icmp_out(t.buf, t.parse(), c), Status::Ok);
  EXPECT_EQ(t.bytes(), icmp_error(fl.vip, fl.client, as_sent, quote, v.vlans));
  EXPECT_TRUE(checksums_ok(t.bytes()));
}

INSTANTIATE_TEST_SUITE_P(All, NatIcmpTest, ::testing::ValuesIn(icmp_cases()),
                         [](const ::testing::TestParamInfo<IcmpCase>& i) {
                           return variant_name({i.param.v, i.index}) + "_q" + std::to_string(i.param.quote);
                         });

TEST(NatIcmp, TruncatedIcmpIsRefusedNotCrashed) {
  for (auto fam : {net::Family::V4, net::Family::V6}) {
    Flow fl = flow(fam);
    ipvs::Conn c = make_conn(fl);
    Variant v{fam, net::ipproto::Tcp, 1, false};
    Bytes reply = ip_packet(make_frame(v, fl.vip, fl.vport, fl.client, fl.cport));
    for_each_prefix(icmp_error(fl.client, fl.vip, reply, 1000, 1), [&](PacketBuf& b, const net::ParsedFrame& p) {
      EXPECT_NE(nat_icmp_in(b, p, c), Status::Ok);
      EXPECT_NE(nat_icmp_out(b, p, c), Status::Ok);
    });
  }
}

TEST(NatIcmp, ErrorQuotingNoPortsIsUnsupported) {
  Flow fl = flow(net::Family::V4);
  ipvs::Conn c = make_conn(fl);
  Bytes ping = ip_packet(net::build_icmp_echo({.src = fl.vip, .dst = fl.client}, true, 1, 1));
  TestFrame t(icmp_error(fl.client, fl.vip, ping, 1000, 0));
  EXPECT_EQ(nat_icmp_in(t.buf, t.parse(), c), Status::Unsupported);
  TestFrame plain(make_frame({net::Family::V4, net::ipproto::Udp, 0, false}, fl.client, 1, fl.vip, 80));
  EXPECT_EQ(nat_icmp_in(plain.buf, plain.parse(), c), Status::Unsupported);
}
