// TUN: outer header fields, the inner packet carried byte for byte, GUE header and checksum,
// the MTU rule with the ICMP frag-needed / packet-too-big answer, and decapsulation back to
// the original frame.
#include "xmit/tun.h"

#include <gtest/gtest.h>

#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/udp.h"
#include "xmit/too_big.h"
#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;
using ipvs::TunType;

namespace {

struct TunCase {
  net::Family inner, outer;
  TunType type;
  uint16_t flags;
  int vlans;
};

std::vector<TunCase> cases() {
  std::vector<TunCase> out;
  for (auto inner : {net::Family::V4, net::Family::V6})
    for (auto outer : {net::Family::V4, net::Family::V6})
      for (auto type : {TunType::Ipip, TunType::Gue, TunType::Gre})
        for (uint16_t flags : {uint16_t(0), tun_flag::kCsum})
          for (int vlans : {0, 1})
            if (type != TunType::Ipip || flags == 0) out.push_back({inner, outer, type, flags, vlans});
  return out;
}

std::string name(const ::testing::TestParamInfo<TunCase>& i) {
  const TunCase& c = i.param;
  auto fam = [](net::Family f) { return f == net::Family::V4 ? "4" : "6"; };
  return std::string("in") + fam(c.inner) + "_out" + fam(c.outer) + (c.type == TunType::Gue ? "_gue" : c.type == TunType::Gre ? "_gre" : "_ipip") +
         (c.flags ? "_csum" : "") + "_vlan" + std::to_string(c.vlans);
}

TunParams params(const TunCase& c, uint32_t mtu = 1500) {
  bool v4 = c.outer == net::Family::V4;
  return {.real = A(v4 ? "192.168.20.2" : "fd00:20::2"), .local = A(v4 ? "192.168.20.1" : "fd00:20::1"),
          .type = c.type, .port = 6080, .flags = c.flags, .mtu = mtu, .ip_id = 0xbeef};
}

Bytes client_frame(net::Family fam, int vlans, bool df, size_t payload = 100) {
  Flow fl = flow(fam);
  net::FrameSpec f{.src = fl.client, .dst = fl.vip, .ttl = 57, .tos = 0x28, .ip_id = 77, .dont_fragment = df};
  for (int i = 0; i < vlans; ++i) f.vlans.push_back(uint16_t(200 + i));
  return net::build_tcp(f, {.src_port = fl.cport, .dst_port = fl.vport, .payload = Bytes(payload, 0x42)});
}

}  // namespace

class TunTest : public ::testing::TestWithParam<TunCase> {};

TEST_P(TunTest, EncapsulatesAndDecapsulates) {
  const TunCase c = GetParam();
  for (bool df : {true, false}) {
    if (c.inner == net::Family::V6 && !df) continue;
    Bytes orig = client_frame(c.inner, c.vlans, df);
    TunParams tp = params(c);
    TestFrame t(orig);
    net::ParsedFrame in = t.parse();
    TunResult r = tun_xmit(t.buf, in, tp);
    ASSERT_EQ(r.status, Status::Ok);
    Bytes got = t.bytes();
    size_t l3 = in.l3_offset, over = tun_overhead(c.outer, c.type, c.flags), inner_len = in.l3_len;
    ASSERT_EQ(got.size(), orig.size() + over);
    // Ethernet header and tags kept; the inner packet follows the outer headers untouched.
    EXPECT_TRUE(std::equal(got.begin(), got.begin() + l3 - 2, orig.begin()));
    EXPECT_TRUE(std::equal(got.begin() + l3 + over, got.end(), orig.begin() + l3));
    EXPECT_TRUE(checksums_ok(got));

    net::ParsedFrame p = t.parse();
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.src, tp.local);
    EXPECT_EQ(p.dst, tp.real);
    EXPECT_EQ(p.ttl, 57);
    EXPECT_EQ(p.l3_len, inner_len + over);
    std::span<uint8_t> outer(got.data() + l3, p.l3_len);
    uint8_t inner_proto = c.inner == net::Family::V4 ? 4 : 41;
    if (c.outer == net::Family::V4) {
      auto ip = net::Ipv4View::parse(outer);
      EXPECT_EQ(ip->tos(), 0x28);
      EXPECT_EQ(ip->id(), 0xbeef);
      EXPECT_EQ(ip->dont_fragment(), df && c.inner == net::Family::V4);
      EXPECT_EQ(ip->header_len(), 20u);
      EXPECT_TRUE(ip->checksum_ok());
    } else {
      auto ip = net::Ipv6View::parse(outer);
      EXPECT_EQ(ip->traffic_class(), 0x28);
      EXPECT_EQ(ip->flow_label(), 0u);
    }
    if (c.type == TunType::Ipip) {
      EXPECT_EQ(p.l4_proto, inner_proto);
    } else if (c.type == TunType::Gre) {
      ASSERT_EQ(p.l4_proto, net::ipproto::Gre);
      std::span<const uint8_t> gre(got.data() + p.l4_offset, over - (p.l4_offset - l3));
      uint16_t type = c.inner == net::Family::V4 ? 0x0800 : 0x86dd;
      if (c.flags & tun_flag::kCsum) {
        ASSERT_EQ(gre.size(), 8u);
        EXPECT_EQ(gre[0], 0x80);
        // The GRE checksum covers the GRE header and the inner packet.
        EXPECT_EQ(net::internet_checksum(std::span(got).subspan(p.l4_offset)), 0);
      } else {
        ASSERT_EQ(gre.size(), 4u);
        EXPECT_EQ(gre[0], 0);
      }
      EXPECT_EQ(gre[1], 0);
      EXPECT_EQ(net::load16(&gre[2]), type);
    } else {
      ASSERT_EQ(p.l4_proto, net::ipproto::Udp);
      EXPECT_EQ(p.dst_port, 6080);
      EXPECT_GE(p.src_port, 49152);
      auto udp = net::UdpView::parse(std::span(got).subspan(p.l4_offset));
      EXPECT_EQ(udp->length(), 8 + 4 + inner_len);
      bool csum = (c.flags & tun_flag::kCsum) || c.outer == net::Family::V6;
      EXPECT_EQ(udp->checksum() != 0, csum);
      Bytes gue = slice(got, p.l4_offset + 8, 4);
      EXPECT_EQ(gue, (Bytes{0, inner_proto, 0, 0}));
    }

    ASSERT_EQ(tun_decap(t.buf, 6080), Status::Ok);
    EXPECT_EQ(t.bytes(), orig);
  }
}

INSTANTIATE_TEST_SUITE_P(All, TunTest, ::testing::ValuesIn(cases()), name);

TEST(Tun, SameFlowSameSourcePort) {
  TunCase c{net::Family::V4, net::Family::V4, TunType::Gue, 0, 0};
  TestFrame a(client_frame(net::Family::V4, 0, true)), b(client_frame(net::Family::V4, 0, true, 7));
  ASSERT_EQ(tun_xmit(a.buf, a.parse(), params(c)).status, Status::Ok);
  ASSERT_EQ(tun_xmit(b.buf, b.parse(), params(c)).status, Status::Ok);
  EXPECT_EQ(a.parse().src_port, b.parse().src_port);
}

TEST(Tun, DfTooBigAsksForFragNeeded) {
  // A full-size inner packet: 1500 bytes; IPIP over IPv4 leaves 1480, GUE 1468, IPv6 outer 1460.
  for (auto type : {TunType::Ipip, TunType::Gue, TunType::Gre})
    for (auto outer : {net::Family::V4, net::Family::V6}) {
      TunCase c{net::Family::V4, outer, type, 0, 1};
      Bytes orig = client_frame(net::Family::V4, 1, true, 1500 - 40);
      TestFrame t(orig);
      TunResult r = tun_xmit(t.buf, t.parse(), params(c));
      EXPECT_EQ(r.status, Status::FragNeeded);
      EXPECT_EQ(r.mtu, 1500 - tun_overhead(outer, type, 0));
      EXPECT_EQ(t.bytes(), orig);  // untouched
    }
}

TEST(Tun, NoDfTooBigIsEncapsulatedForFragmentation) {
  TunCase c{net::Family::V4, net::Family::V4, TunType::Ipip, 0, 0};
  TestFrame t(client_frame(net::Family::V4, 0, false, 1500 - 40));
  TunResult r = tun_xmit(t.buf, t.parse(), params(c));
  EXPECT_EQ(r.status, Status::MustFragment);
  EXPECT_EQ(t.parse().l3_len, 1520u);
}

TEST(Tun, Ipv6TooBigReportsAtLeast1280) {
  TunCase c{net::Family::V6, net::Family::V4, TunType::Ipip, 0, 0};
  TestFrame big(client_frame(net::Family::V6, 0, true, 1500 - 60));
  TunResult r = tun_xmit(big.buf, big.parse(), params(c));
  EXPECT_EQ(r.status, Status::FragNeeded);
  EXPECT_EQ(r.mtu, 1480u);
  TestFrame small_mtu(client_frame(net::Family::V6, 0, true, 1400 - 60));
  r = tun_xmit(small_mtu.buf, small_mtu.parse(), params(c, 1290));
  EXPECT_EQ(r.status, Status::FragNeeded);
  EXPECT_EQ(r.mtu, 1280u);
  // Inner 1280 fits the IPv6 minimum: sent, the outer packet needs fragmenting.
  TestFrame min(client_frame(net::Family::V6, 0, true, 1280 - 60));
  EXPECT_EQ(tun_xmit(min.buf, min.parse(), params(c, 1290)).status, Status::MustFragment);
}

TEST(Tun, MtuBelowMinimumIsRefused) {
  TunCase c{net::Family::V4, net::Family::V4, TunType::Gue, 0, 0};
  TestFrame t(client_frame(net::Family::V4, 0, true, 100));
  EXPECT_EQ(tun_xmit(t.buf, t.parse(), params(c, 90)).status, Status::MtuExceeded);
}

TEST(Tun, RefusesWhatItCannotDo) {
  Bytes orig = client_frame(net::Family::V4, 0, true);
  TunCase bad{net::Family::V4, net::Family::V4, TunType(9), 0, 0};
  TestFrame a(orig);
  EXPECT_EQ(tun_xmit(a.buf, a.parse(), params(bad)).status, Status::Unsupported);
  TunCase rem{net::Family::V4, net::Family::V4, TunType::Gue, tun_flag::kRemCsum, 0};
  EXPECT_EQ(tun_xmit(a.buf, a.parse(), params(rem)).status, Status::Unsupported);
  TunCase ok{net::Family::V4, net::Family::V4, TunType::Gue, 0, 0};
  TestFrame tight(orig, 31, 0);
  EXPECT_EQ(tun_xmit(tight.buf, tight.parse(), params(ok)).status, Status::NoRoom);
  EXPECT_EQ(tight.bytes(), orig);
  TestFrame exact(orig, 32, 0);
  EXPECT_EQ(tun_xmit(exact.buf, exact.parse(), params(ok)).status, Status::Ok);
}

TEST(Tun, PaddingIsNotTunnelled) {
  Bytes orig = client_frame(net::Family::V4, 0, true, 0);  // 54 bytes
  Bytes padded = orig;
  padded.resize(60, 0);
  TestFrame t(padded);
  TunCase c{net::Family::V4, net::Family::V4, TunType::Ipip, 0, 0};
  ASSERT_EQ(tun_xmit(t.buf, t.parse(), params(c)).status, Status::Ok);
  EXPECT_EQ(t.bytes().size(), orig.size() + 20);
  ASSERT_EQ(tun_decap(t.buf, 0), Status::Ok);
  EXPECT_EQ(t.bytes(), orig);
}

TEST(Tun, TruncatedInputIsRefusedNotCrashed) {
  for (auto c : cases()) {
    Bytes orig = client_frame(c.inner, c.vlans, true);
    for_each_prefix(orig, [&](PacketBuf& b, const net::ParsedFrame& p) {
      EXPECT_NE(tun_xmit(b, p, params(c)).status, Status::Ok);
    });
    TestFrame t(orig);
    ASSERT_EQ(tun_xmit(t.buf, t.parse(), params(c)).status, Status::Ok);
    for_each_prefix(t.bytes(), [&](PacketBuf& b, const net::ParsedFrame&) {
      EXPECT_NE(tun_decap(b, 6080), Status::Ok);
    });
  }
}

TEST(TunDecap, GueVariantsAndNonTunnels) {
  Bytes inner = ip_packet(client_frame(net::Family::V4, 0, true));
  Flow fl = flow(net::Family::V4);
  auto gue = [&](Bytes hdr) {
    Bytes payload = hdr;
    payload.insert(payload.end(), inner.begin(), inner.end());
    return net::build_udp({.src = fl.local, .dst = fl.real}, {.src_port = 50000, .dst_port = 6080, .payload = payload});
  };
  Bytes want = client_frame(net::Family::V4, 0, true);
  // Version 0 with one extension word (hlen 1) is skipped over.
  TestFrame ext(gue({0x01, 4, 0, 0, 0xde, 0xad, 0xbe, 0xef}));
  ASSERT_EQ(tun_decap(ext.buf, 6080), Status::Ok);
  EXPECT_EQ(slice(ext.bytes(), 14, inner.size()), inner);
  // Variant 1: the inner IP header right after UDP.
  TestFrame v1(gue({}));
  ASSERT_EQ(tun_decap(v1.buf, 6080), Status::Ok);
  EXPECT_EQ(slice(v1.bytes(), 14, inner.size()), inner);
  // Control messages, other ports, plain traffic: not ours.
  TestFrame ctl(gue({0x20, 0, 0, 0}));
  EXPECT_EQ(tun_decap(ctl.buf, 6080), Status::Unsupported);
  TestFrame other(gue({0, 4, 0, 0}));
  EXPECT_EQ(tun_decap(other.buf, 6081), Status::Unsupported);
  TestFrame plain(want);
  EXPECT_EQ(tun_decap(plain.buf, 6080), Status::Unsupported);
  // Protocol says IPv6, the bytes are IPv4.
  TestFrame lie(gue({0, 41, 0, 0}));
  EXPECT_EQ(tun_decap(lie.buf, 6080), Status::Malformed);
}

TEST(TunDecap, GreOptionalWords) {
  Bytes inner = ip_packet(client_frame(net::Family::V6, 0, true));
  Flow fl = flow(net::Family::V4);
  auto gre = [&](Bytes hdr) {
    hdr.insert(hdr.end(), inner.begin(), inner.end());
    return net::build_ip({.src = fl.local, .dst = fl.real}, net::ipproto::Gre, hdr);
  };
  // Key and sequence number present (K, S): 12-byte header.
  TestFrame ks(gre({0x30, 0, 0x86, 0xdd, 0, 0, 0, 1, 0, 0, 0, 2}));
  ASSERT_EQ(tun_decap(ks.buf, 0), Status::Ok);
  EXPECT_EQ(ks.bytes(), client_frame(net::Family::V6, 0, true));
  TestFrame routing(gre({0x40, 0, 0x86, 0xdd}));
  EXPECT_EQ(tun_decap(routing.buf, 0), Status::Unsupported);
  TestFrame v1(gre({0, 1, 0x86, 0xdd}));
  EXPECT_EQ(tun_decap(v1.buf, 0), Status::Unsupported);
  TestFrame teb(gre({0, 0, 0x65, 0x58}));  // Ethernet inside: not a tunnel IPVS makes
  EXPECT_EQ(tun_decap(teb.buf, 0), Status::Unsupported);
}

TEST(TunDecap, FragmentedOuterPacketIsLeftForReassembly) {
  Bytes inner = ip_packet(client_frame(net::Family::V4, 0, true));
  Flow fl = flow(net::Family::V4);
  for (uint32_t offset : {0u, 64u}) {
    Bytes half(inner.begin(), inner.begin() + 64);
    TestFrame t(net::build_ip({.src = fl.local, .dst = fl.real,
                               .fragment = net::FragmentSpec{.offset = offset, .more = offset == 0, .id = 3}},
                              net::ipproto::IpIp, half));
    Bytes before = t.bytes();
    EXPECT_EQ(tun_decap(t.buf, 0), Status::Unsupported);
    EXPECT_EQ(t.bytes(), before);
  }
}

// --- the ICMP answer -------------------------------------------------------------------------

TEST(FragNeeded, Ipv4QuotesThePacketAndNamesTheMtu) {
  Bytes orig = client_frame(net::Family::V4, 2, true, 1460);
  TestFrame t(orig);
  net::ParsedFrame in = t.parse();
  Bytes icmp = build_frag_needed(orig, in, 1480);
  ASSERT_FALSE(icmp.empty());
  EXPECT_TRUE(checksums_ok(icmp));
  net::ParsedFrame p = net::parse_frame(icmp);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.vlan_ids[0], 200);
  EXPECT_EQ(p.vlan_ids[1], 201);
  EXPECT_TRUE(std::equal(icmp.begin(), icmp.begin() + 6, orig.begin() + 6));  // back to the sender
  EXPECT_TRUE(std::equal(icmp.begin() + 6, icmp.begin() + 12, orig.begin()));
  Flow fl = flow(net::Family::V4);
  EXPECT_EQ(p.src, fl.vip);
  EXPECT_EQ(p.dst, fl.client);
  EXPECT_EQ(p.l4_proto, net::ipproto::Icmp);
  EXPECT_EQ(p.icmp_type, 3);
  EXPECT_EQ(p.icmp_code, 4);
  EXPECT_EQ(net::load16(&icmp[p.l4_offset + 6]), 1480);
  EXPECT_EQ(net::load16(&icmp[p.l4_offset + 4]), 0);
  EXPECT_EQ(p.l3_len, 576u);
  EXPECT_EQ(slice(icmp, p.payload_offset, p.payload_len), slice(orig, in.l3_offset, 548));
  ASSERT_TRUE(p.inner.present);
  EXPECT_EQ(p.inner.src, fl.client);
  EXPECT_EQ(p.inner.dst_port, fl.vport);
}

TEST(FragNeeded, Ipv6PacketTooBig) {
  Bytes orig = client_frame(net::Family::V6, 0, true, 1440);
  TestFrame t(orig);
  net::ParsedFrame in = t.parse();
  Bytes icmp = build_frag_needed(orig, in, 1480);
  ASSERT_FALSE(icmp.empty());
  EXPECT_TRUE(checksums_ok(icmp));
  net::ParsedFrame p = net::parse_frame(icmp);
  EXPECT_EQ(p.icmp_type, 2);
  EXPECT_EQ(p.icmp_code, 0);
  EXPECT_EQ(net::load32(&icmp[p.l4_offset + 4]), 1480u);
  EXPECT_EQ(p.l3_len, 1280u);
  EXPECT_EQ(slice(icmp, p.payload_offset, p.payload_len), slice(orig, in.l3_offset, 1232));
  EXPECT_EQ(p.src, flow(net::Family::V6).vip);
}

TEST(FragNeeded, SmallPacketIsQuotedWhole) {
  Bytes orig = client_frame(net::Family::V4, 0, true, 10);
  net::ParsedFrame in = net::parse_frame(std::span(orig));
  Bytes icmp = build_frag_needed(orig, in, 576);
  net::ParsedFrame p = net::parse_frame(icmp);
  EXPECT_EQ(slice(icmp, p.payload_offset, p.payload_len), ip_packet(orig));
}

TEST(FragNeeded, NeverAboutAnIcmpErrorOrBrokenFrame) {
  Flow fl = flow(net::Family::V4);
  Bytes quoted = ip_packet(client_frame(net::Family::V4, 0, true, 10));
  Bytes err = net::build_icmp({.src = fl.client, .dst = fl.vip}, {.type = 3, .code = 1, .payload = quoted});
  EXPECT_TRUE(build_frag_needed(err, net::parse_frame(std::span(err)), 1000).empty());
  Bytes orig = client_frame(net::Family::V4, 0, true);
  for_each_prefix(orig, [&](PacketBuf& b, const net::ParsedFrame& p) {
    EXPECT_TRUE(build_frag_needed(b.bytes(), p, 1000).empty());
  });
}
