// frame_test.cc — parse_frame / parse_ip_packet on captured and built frames of every kind,
// every truncation, bit flips and random bytes: results always stay inside the frame.
#include "net/frame.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "net/builder.h"
#include "net/captures.h"
#include "net/icmp.h"
#include "net/tcp.h"


namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

// Whatever the input, every offset and length the parser reports lies inside the frame.
void expect_in_bounds(const ParsedFrame& f, size_t size) {
  ASSERT_LE(f.l3_offset, size);
  ASSERT_LE(f.l4_offset, size);
  ASSERT_LE(uint64_t(f.payload_offset) + f.payload_len, size);
  ASSERT_LE(f.vlan_count, 2);
  if (f.ok() && f.has_l4()) {
    ASSERT_GE(f.l4_offset, f.l3_offset);
    ASSERT_GE(f.payload_offset, f.l4_offset);
  }
  if (f.ok() && (f.l3 == L3::Ipv4 || f.l3 == L3::Ipv6)) {
    ASSERT_LE(uint64_t(f.l3_offset) + f.l3_len, size);
  }
  if (f.inner.present) {
    ASSERT_LE(f.inner.l3_offset, size);
    ASSERT_LE(f.inner.l4_offset, size);
    ASSERT_GE(f.inner.l3_offset, f.payload_offset);
    if (f.inner.has_ports) {
      ASSERT_LE(f.inner.l4_offset + 4u, size);
    }
  }
}

TEST(Frame, CapturedHttpGet) {
  Bytes b = captures::http_get();
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok()) << to_string(f.error);
  EXPECT_EQ(f.l3, L3::Ipv4);
  EXPECT_EQ(f.family(), Family::V4);
  EXPECT_EQ(f.vlan_count, 0);
  EXPECT_EQ(f.ethertype, 0x0800);
  EXPECT_EQ(f.l3_offset, 14u);
  EXPECT_EQ(f.l3_len, 420u);
  EXPECT_EQ(f.src.str(), "172.17.81.73");
  EXPECT_EQ(f.dst.str(), "173.222.254.225");
  EXPECT_EQ(f.ttl, 64);
  EXPECT_EQ(f.l4_proto, ipproto::Tcp);
  EXPECT_EQ(f.l4_offset, 34u);
  EXPECT_EQ(f.src_port, 50679);
  EXPECT_EQ(f.dst_port, 80);
  EXPECT_EQ(f.tcp_flags, tcp_flag::PSH | tcp_flag::ACK);
  EXPECT_EQ(f.payload_offset, 66u);
  EXPECT_EQ(f.payload_len, 368u);
  EXPECT_FALSE(f.is_fragment);
  EXPECT_FALSE(f.inner.present);
  EXPECT_EQ(b[f.payload_offset], 'G');
}

TEST(Frame, CapturedPaddedRst) {
  Bytes b = captures::small_tcp_padded();
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(b.size(), 60u);
  EXPECT_EQ(f.l3_len, 40u);
  EXPECT_EQ(f.tcp_flags, tcp_flag::RST | tcp_flag::ACK);
  EXPECT_EQ(f.src_port, 99);
  EXPECT_EQ(f.dst_port, 39663);
  EXPECT_EQ(f.payload_offset, 54u);
  EXPECT_EQ(f.payload_len, 0u);  // the 6 padding bytes are not payload
}

TEST(Frame, CapturedVlan) {
  Bytes b = captures::vlan_tcp();
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.vlan_count, 1);
  EXPECT_EQ(f.vlan_ids[0], 503);
  EXPECT_EQ(f.l3_offset, 18u);
  EXPECT_EQ(f.ttl, 0x7d);
  EXPECT_EQ(f.src.str(), "172.27.202.142");
  EXPECT_EQ(f.dst.str(), "69.22.148.226");
  EXPECT_EQ(f.src_port, 54282);
  EXPECT_EQ(f.dst_port, 80);
  EXPECT_EQ(f.tcp_flags, tcp_flag::ACK);
}

TEST(Frame, CapturedSctp) {
  Bytes b = captures::sctp_init();
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.l4_proto, ipproto::Sctp);
  EXPECT_EQ(f.src.str(), "172.29.20.15");
  EXPECT_EQ(f.dst.str(), "172.25.9.204");
  EXPECT_EQ(f.src_port, 9999);
  EXPECT_EQ(f.dst_port, 8888);
  EXPECT_EQ(f.payload_offset, 34u + 12);
  EXPECT_EQ(f.payload_len, 68u - 20 - 12);
}

TEST(Frame, CapturedNeighborAdvert) {
  Bytes b = captures::icmpv6_neighbor_advert();
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.l3, L3::Ipv6);
  EXPECT_EQ(f.family(), Family::V6);
  EXPECT_EQ(f.l4_proto, ipproto::Icmpv6);
  EXPECT_EQ(f.icmp_type, icmp6::NeighborAdvert);
  EXPECT_EQ(f.icmp_code, 0);
  EXPECT_EQ(f.ttl, 255);
  EXPECT_EQ(f.l4_offset, 54u);
  EXPECT_EQ(f.payload_len, 16u);
  EXPECT_FALSE(f.inner.present);
}

TEST(Frame, CapturedArp) {
  Bytes b = captures::arp_request();
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.l3, L3::Arp);
  EXPECT_EQ(f.src.str(), "192.168.1.100");
  EXPECT_EQ(f.dst.str(), "192.168.1.1");
  EXPECT_FALSE(f.has_l4());
  b[15] = 2;  // hardware type 2: not ours
  EXPECT_EQ(parse_frame(b).error, ParseError::Unsupported);
}

TEST(Frame, QinQIpv6Udp) {
  FrameSpec spec{.vlans = {10, 20}, .src = *Addr::parse("2001:db8::a"), .dst = *Addr::parse("2001:db8::b")};
  Bytes b = build_udp(spec, {.src_port = 5000, .dst_port = 53, .payload = {1, 2, 3}});
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.vlan_count, 2);
  EXPECT_EQ(f.vlan_ids[0], 10);
  EXPECT_EQ(f.vlan_ids[1], 20);
  EXPECT_EQ(f.ethertype, 0x86dd);
  EXPECT_EQ(f.l3_offset, 22u);
  EXPECT_EQ(f.l4_offset, 62u);
  EXPECT_EQ(f.src, spec.src);
  EXPECT_EQ(f.dst, spec.dst);
  EXPECT_EQ(f.src_port, 5000);
  EXPECT_EQ(f.dst_port, 53);
  EXPECT_EQ(f.payload_offset, 70u);
  EXPECT_EQ(f.payload_len, 3u);
}

TEST(Frame, Ipv4Fragments) {
  FrameSpec spec{.fragment = FragmentSpec{.offset = 0, .more = true, .id = 5}};
  Bytes first = build_udp(spec, {.src_port = 1, .dst_port = 2, .payload = Bytes(16, 0)});
  ParsedFrame f = parse_frame(first);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f.is_fragment);
  EXPECT_TRUE(f.first_fragment);
  EXPECT_TRUE(f.has_l4());
  EXPECT_EQ(f.dst_port, 2);

  spec.fragment = FragmentSpec{.offset = 24, .more = false, .id = 5};
  Bytes rest = build_ip(spec, ipproto::Udp, Bytes(10, 0xee));
  f = parse_frame(rest);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f.is_fragment);
  EXPECT_FALSE(f.first_fragment);
  EXPECT_FALSE(f.has_l4());
  EXPECT_EQ(f.src_port, 0);
  EXPECT_EQ(f.l4_proto, ipproto::Udp);
  EXPECT_EQ(f.payload_offset, 34u);
  EXPECT_EQ(f.payload_len, 10u);
}

TEST(Frame, Ipv6NonFirstFragment) {
  FrameSpec spec{.src = *Addr::parse("fd00::1"), .dst = *Addr::parse("fd00::2"),
                 .fragment = FragmentSpec{.offset = 1448, .more = true, .id = 77}};
  Bytes b = build_ip(spec, ipproto::Tcp, Bytes(5, 0));  // 5 bytes: no room for a TCP header
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f.is_fragment);
  EXPECT_FALSE(f.first_fragment);
  EXPECT_EQ(f.l4_proto, ipproto::Tcp);
  EXPECT_FALSE(f.has_l4());
  EXPECT_EQ(f.payload_len, 5u);
}

TEST(Frame, IcmpErrorQuotesV4Tcp) {
  FrameSpec inner{.ethernet = false, .src = *Addr::parse("10.0.0.2"), .dst = *Addr::parse("192.0.2.7")};
  Bytes orig = build_tcp(inner, {.src_port = 80, .dst_port = 51000, .payload = Bytes(100, 0)});
  Bytes quoted(orig.begin(), orig.begin() + 28);
  FrameSpec outer{.src = *Addr::parse("198.51.100.1"), .dst = inner.src};
  Bytes b = build_icmp(outer, {.type = icmp4::DestUnreach, .code = icmp4::FragNeeded,
                               .rest = 1400, .payload = quoted});
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.l4_proto, ipproto::Icmp);
  EXPECT_EQ(f.icmp_type, icmp4::DestUnreach);
  EXPECT_EQ(f.icmp_code, icmp4::FragNeeded);
  ASSERT_TRUE(f.inner.present);
  EXPECT_EQ(f.inner.l3_offset, 42u);
  EXPECT_EQ(f.inner.l4_offset, 62u);
  EXPECT_EQ(f.inner.l4_proto, ipproto::Tcp);
  EXPECT_EQ(f.inner.src, inner.src);
  EXPECT_EQ(f.inner.dst, inner.dst);
  EXPECT_TRUE(f.inner.has_ports);
  EXPECT_EQ(f.inner.src_port, 80);
  EXPECT_EQ(f.inner.dst_port, 51000);
  expect_in_bounds(f, b.size());

  // Quoting only 2 bytes of the L4 header: still an error packet, but no ports.
  Bytes shorter(orig.begin(), orig.begin() + 22);
  b = build_icmp(outer, {.type = icmp4::TimeExceeded, .payload = shorter});
  f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f.inner.present);
  EXPECT_FALSE(f.inner.has_ports);
  // A quoted header that does not parse leaves inner absent with the reason.
  Bytes junk(orig.begin(), orig.begin() + 12);
  b = build_icmp(outer, {.type = icmp4::TimeExceeded, .payload = junk});
  f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f.inner.present);
  EXPECT_EQ(f.inner.error, ParseError::Truncated);
}

TEST(Frame, Icmpv6ErrorQuotesV6Udp) {
  FrameSpec inner{.ethernet = false, .src = *Addr::parse("fd00::5"), .dst = *Addr::parse("fd00::6")};
  Bytes orig = build_udp(inner, {.src_port = 4444, .dst_port = 53, .payload = Bytes(2000, 0)});
  Bytes quoted(orig.begin(), orig.begin() + 1232 - 48);
  FrameSpec outer{.src = *Addr::parse("fd00::99"), .dst = inner.src};
  Bytes b = build_icmp(outer, {.type = icmp6::PacketTooBig, .rest = 1280, .payload = quoted});
  ParsedFrame f = parse_frame(b);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.icmp_type, icmp6::PacketTooBig);
  ASSERT_TRUE(f.inner.present);
  EXPECT_EQ(f.inner.l4_proto, ipproto::Udp);
  EXPECT_EQ(f.inner.src, inner.src);
  EXPECT_EQ(f.inner.src_port, 4444);
  EXPECT_EQ(f.inner.dst_port, 53);
}

TEST(Frame, OtherProtocolsAndEthertypes) {
  Bytes gre = build_ip({}, ipproto::Gre, Bytes{0, 0, 0x08, 0x00});
  ParsedFrame f = parse_frame(gre);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.l4_proto, ipproto::Gre);
  EXPECT_EQ(f.l4_offset, 34u);
  EXPECT_EQ(f.payload_offset, 34u);
  EXPECT_EQ(f.payload_len, 4u);

  // ICMPv4 numbers inside IPv6 are not ICMP.
  FrameSpec v6{.src = *Addr::parse("fd00::1"), .dst = *Addr::parse("fd00::2")};
  Bytes icmp_in_v6 = build_ip(v6, ipproto::Icmp, Bytes(8, 3));
  f = parse_frame(icmp_in_v6);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.icmp_type, 0);
  EXPECT_EQ(f.payload_len, 8u);

  Bytes lldp = from_hex("0180 c200 000e 0011 2233 4455 88cc 0207 0400 1122 3344 55");
  f = parse_frame(lldp);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.l3, L3::Other);
  EXPECT_EQ(f.ethertype, 0x88cc);
}

TEST(Frame, ErrorsKeepWhatWasParsed) {
  Bytes b = captures::http_get();
  b[46] = 0x30;  // TCP data offset 3
  ParsedFrame f = parse_frame(b);
  EXPECT_EQ(f.error, ParseError::BadHeaderLength);
  EXPECT_EQ(f.l3, L3::Ipv4);
  EXPECT_EQ(f.src.str(), "172.17.81.73");  // addresses are still known
  EXPECT_EQ(f.l4_proto, ipproto::Tcp);
  b = captures::http_get();
  b[14] = 0x46;  // IHL 6 — now the header checksum and lengths no longer agree, but it parses
  EXPECT_TRUE(parse_frame(b).ok());
  b[14] = 0x44;
  EXPECT_EQ(parse_frame(b).error, ParseError::BadHeaderLength);
  b[14] = 0x55;
  EXPECT_EQ(parse_frame(b).error, ParseError::BadVersion);
}

TEST(Frame, ParseIpPacket) {
  Bytes v4 = build_tcp({.ethernet = false}, {.src_port = 1, .dst_port = 2});
  ParsedFrame f = parse_ip_packet(v4);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.l3, L3::Ipv4);
  EXPECT_EQ(f.l3_offset, 0u);
  EXPECT_EQ(f.l4_offset, 20u);
  EXPECT_EQ(f.dst_port, 2);
  Bytes v6 = captures::ipv6_hop_by_hop();
  f = parse_ip_packet(v6);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.l3, L3::Ipv6);
  EXPECT_EQ(f.l4_proto, ipproto::NoNext);
  Bytes empty;
  EXPECT_EQ(parse_ip_packet(empty).error, ParseError::Truncated);
  Bytes v5{0x50, 0, 0, 0};
  EXPECT_EQ(parse_ip_packet(v5).error, ParseError::BadVersion);
}

std::vector<Bytes> sample_frames() {
  FrameSpec v6{.vlans = {3}, .src = *Addr::parse("fd00::1"), .dst = *Addr::parse("fd00::2")};
  FrameSpec inner{.ethernet = false};
  Bytes quoted = build_tcp(inner, {});
  quoted.resize(28);
  return {captures::http_get(),
          captures::small_tcp_padded(),
          captures::vlan_tcp(),
          captures::sctp_init(),
          captures::icmpv6_neighbor_advert(),
          captures::arp_request(),
          build_tcp(v6, {.options = mss_option(1400), .payload = {1, 2, 3}}),
          build_udp({.ip_options = {1, 1, 1, 1}}, {.payload = {4, 5}}),
          build_icmp({}, {.type = icmp4::DestUnreach, .code = 3, .payload = quoted}),
          build_icmp_echo(v6, false, 1, 2)};
}

TEST(Frame, EveryTruncationOfEveryKind) {
  for (Bytes full : sample_frames()) {
    ParsedFrame whole = parse_frame(full);
    ASSERT_TRUE(whole.ok());
    for (size_t n = 0; n < full.size(); ++n) {
      Bytes cut(full.begin(), full.begin() + n);
      ParsedFrame f = parse_frame(cut);
      expect_in_bounds(f, n);
      // A prefix either fails or (when only padding or quoted bytes were cut) agrees with the whole.
      if (f.ok()) {
        EXPECT_EQ(f.src_port, whole.src_port) << n;
        EXPECT_EQ(f.l4_offset, whole.l4_offset) << n;
      }
    }
  }
}

TEST(Frame, BitFlipsStayInBounds) {
  std::mt19937 rng(11);
  auto frames = sample_frames();
  for (int t = 0; t < 50000; ++t) {
    Bytes b = frames[t % frames.size()];
    for (int k = 1 + rng() % 4; k > 0; --k) b[rng() % b.size()] ^= uint8_t(1 << rng() % 8);
    if (t % 3 == 0) b.resize(rng() % (b.size() + 1));
    ParsedFrame f = parse_frame(b);
    expect_in_bounds(f, b.size());
  }
}

TEST(Frame, RandomBytesStayInBounds) {
  std::mt19937 rng(12);
  const uint16_t types[] = {0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8};
  int parsed_l4 = 0;
  for (int t = 0; t < 100000; ++t) {
    Bytes b(rng() % 160);
    for (auto& x : b) x = uint8_t(rng());
    if (b.size() >= 15) {
      store16(&b[12], types[rng() % 5]);
      b[14] = uint8_t((rng() % 2 ? 0x45 : 0x60) | (b[14] & 0x0a));
    }
    ParsedFrame f = parse_frame(b);
    expect_in_bounds(f, b.size());
    parsed_l4 += f.ok() && f.has_l4();
    ParsedFrame g = parse_ip_packet(b);
    expect_in_bounds(g, b.size());
  }
  EXPECT_GT(parsed_l4, 0);  // the generator does reach the L4 parsers
}

}  // namespace
}  // namespace ulvs::net
