// The pipeline end to end on a fake two-interface director with a real engine: what the
// director answers itself (ARP, ping), each forwarding method, and the refusals.
#include "dataplane/pipeline.h"

#include <gtest/gtest.h>

#include "net/icmp.h"
#include "xmit/toa.h"
#include "pipeline_test_util.h"

using namespace ulvs;
using namespace ulvs::dataplane;
using namespace ulvs::dataplane::test;

namespace {
using xmit::test::checksums_ok;
constexpr uint8_t SYN = net::tcp_flag::SYN, ACK = net::tcp_flag::ACK;
}  // namespace

TEST_F(Director, ArpRequestForVipIsAnsweredFromIngressMac) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  auto out = run(net::build_arp_request(kGwMac, A("10.0.0.254"), vip));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, Action::Tx);
  EXPECT_EQ(out[0].iface, 1u);
  EXPECT_EQ(sent(out[0]), net::build_arp_reply(kOutMac, vip, kGwMac, A("10.0.0.254")));
  EXPECT_EQ(pipe.counters().arp_replies, 1u);
  ASSERT_EQ(neigh.learned.size(), 1u);  // the asker offered to the neighbour cache
}

TEST_F(Director, ArpForFullnatLocalAddressIsAnswered) {
  ctx.locals = {A("192.168.10.50")};
  auto out = run(net::build_arp_request(kRsMac, rs, A("192.168.10.50")), 2);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(sent(out[0]), net::build_arp_reply(kInMac, A("192.168.10.50"), kRsMac, rs));
}

TEST_F(Director, ArpForOwnAddressOrOthersGoesToKernel) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  for (const char* target : {"10.0.0.1", "10.0.0.77"}) {
    auto out = run(net::build_arp_request(kGwMac, A("10.0.0.254"), A(target)));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, Action::ToKernel) << target;
  }
  // An ARP reply for a VIP (someone else claiming it) is not answered either.
  auto out = run(net::build_arp_reply(kGwMac, vip, kOutMac, A("10.0.0.1")));
  EXPECT_EQ(out[0].kind, Action::ToKernel);
}

TEST_F(Director, PingVipIsAnswered) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  add_service(A("2001:db8::100"), 80, ipvs::Fwd::Masq, A("fd00:10::2"), 80);
  Bytes data{'p', 'i', 'n', 'g'};
  for (auto [c, v] : {std::pair{client, vip}, std::pair{A("2001:db8:9::9"), A("2001:db8::100")}}) {
    auto out = run(net::build_icmp_echo(from_client(c, v), false, 7, 3, data));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].iface, 1u);
    net::FrameSpec back{.src_mac = kOutMac, .dst_mac = kGwMac, .src = v, .dst = c};
    EXPECT_EQ(sent(out[0]), net::build_icmp_echo(back, true, 7, 3, data));
    EXPECT_TRUE(checksums_ok(sent(out[0])));
  }
  // Ping to the director's own address is the host's.
  auto out = run(net::build_icmp_echo(from_client(client, A("10.0.0.1")), false, 7, 3, data));
  EXPECT_EQ(out[0].kind, Action::ToKernel);
}

TEST_F(Director, NatHandshakeEndToEnd) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  // Client SYN → real server, destination rewritten, MACs of the inside segment.
  auto out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  EXPECT_TRUE(out[0].from_buf);
  EXPECT_EQ(out[0].iface, 2u);
  Bytes f = sent(out[0]);
  auto p = parse(f);
  EXPECT_EQ(p.src, client);
  EXPECT_EQ(p.src_port, 40000);
  EXPECT_EQ(p.dst, rs);
  EXPECT_EQ(p.dst_port, 8080);
  EXPECT_EQ(eth_src(f), kInMac);
  EXPECT_EQ(eth_dst(f), kRsMac);
  EXPECT_TRUE(checksums_ok(f));

  // Real server's SYN-ACK → client, from the VIP, via the gateway.
  out = run(net::build_tcp(from_server(rs, client), {.src_port = 8080, .dst_port = 40000, .flags = SYN | ACK}), 2);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  EXPECT_EQ(out[0].iface, 1u);
  f = sent(out[0]);
  p = parse(f);
  EXPECT_EQ(p.src, vip);
  EXPECT_EQ(p.src_port, 80);
  EXPECT_EQ(p.dst, client);
  EXPECT_EQ(eth_src(f), kOutMac);
  EXPECT_EQ(eth_dst(f), kGwMac);
  EXPECT_TRUE(checksums_ok(f));

  // Final ACK with data: same connection, established.
  out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = ACK,
                                                      .payload = {'G', 'E', 'T'}}));
  ASSERT_EQ(out[0].kind, Action::Tx);
  EXPECT_TRUE(checksums_ok(sent(out[0])));
  EXPECT_EQ(engine.conns().size(), 1u);
  EXPECT_EQ(pipe.counters().tx, 3u);
}

TEST_F(Director, NatIpv6) {
  net::Addr c6 = A("2001:db8:9::9"), v6 = A("2001:db8::100"), r6 = A("fd00:10::2");
  add_service(v6, 80, ipvs::Fwd::Masq, r6, 8080);
  auto out = run(net::build_udp(from_client(c6, v6), {.src_port = 5353, .dst_port = 80}));
  EXPECT_EQ(out[0].kind, Action::ToKernel);  // UDP to a TCP-only VIP: no service, passed
  out = run(net::build_tcp(from_client(c6, v6), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  Bytes f = sent(out[0]);
  EXPECT_EQ(parse(f).dst, r6);
  EXPECT_TRUE(checksums_ok(f));
}

TEST_F(Director, DrChangesOnlyMacs) {
  add_service(vip, 80, ipvs::Fwd::Route, A("192.168.10.3"), 80);
  Bytes in = net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN});
  auto out = run(in);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  EXPECT_EQ(out[0].iface, 2u);
  Bytes f = sent(out[0]);
  EXPECT_EQ(eth_dst(f), kRsMac);
  EXPECT_EQ(eth_src(f), kInMac);
  EXPECT_EQ(Bytes(f.begin() + 12, f.end()), Bytes(in.begin() + 12, in.end()));
}

TEST_F(Director, TunnelEncapsulatesAndAnswersFragNeeded) {
  add_service(vip, 80, ipvs::Fwd::Tunnel, A("192.168.10.3"), 80);
  auto out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  EXPECT_EQ(out[0].iface, 2u);
  Bytes f = sent(out[0]);
  auto p = parse(f);
  EXPECT_EQ(p.l4_proto, net::ipproto::IpIp);
  EXPECT_EQ(p.src, A("192.168.10.1"));
  EXPECT_EQ(p.dst, A("192.168.10.3"));
  EXPECT_EQ(eth_dst(f), kRsMac);
  EXPECT_TRUE(checksums_ok(f));
  auto inner = net::parse_ip_packet(std::span(f).subspan(p.l4_offset));
  EXPECT_EQ(inner.dst, vip);
  EXPECT_EQ(inner.dst_port, 80);

  // 1490 bytes with DF + 20 bytes of IPIP > 1500: frag-needed back to the client, MTU 1480.
  net::FrameSpec big = from_client(client, vip);
  big.dont_fragment = true;
  out = run(net::build_tcp(big, {.src_port = 40001, .dst_port = 80, .flags = SYN, .payload = Bytes(1450, 'x')}));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  EXPECT_FALSE(out[0].from_buf);
  EXPECT_EQ(out[0].iface, 1u);
  f = sent(out[0]);
  p = parse(f);
  EXPECT_EQ(p.dst, client);
  EXPECT_EQ(p.icmp_type, net::icmp4::DestUnreach);
  EXPECT_EQ(p.icmp_code, net::icmp4::FragNeeded);
  EXPECT_EQ(net::load16(&f[p.l4_offset + 6]), 1480);
  EXPECT_EQ(eth_dst(f), kGwMac);
  EXPECT_TRUE(checksums_ok(f));
  EXPECT_EQ(pipe.counters().frag_needed, 1u);
}

namespace {
// Offset of TCP option `kind` in the segment at l4, or 0.
size_t find_option(const Bytes& f, const net::ParsedFrame& p, uint8_t kind) {
  size_t end = p.l4_offset + (f[p.l4_offset + 12] >> 4) * 4;
  for (size_t i = p.l4_offset + 20; i < end;) {
    if (f[i] == kind) return i;
    if (f[i] == 0) break;
    i += f[i] == 1 ? 1 : std::max<size_t>(f[i + 1], 2);
  }
  return 0;
}
}  // namespace

TEST_F(Director, FullnatWithToaOnTheHandshakeAck) {
  net::Addr local = A("192.168.10.50");
  ctx.locals = {local};
  engine.set_fullnat_locals({local});
  add_service(vip, 80, ipvs::Fwd::FullNat, rs, 8080, ipvs::ClientAddr::Toa);

  auto out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 1, .flags = SYN}));
  ASSERT_EQ(out[0].kind, Action::Tx);
  Bytes f = sent(out[0]);
  auto p = parse(f);
  EXPECT_EQ(p.src, local);
  EXPECT_EQ(p.dst, rs);
  EXPECT_EQ(find_option(f, p, xmit::kToaKind), 0u);  // not on the SYN
  EXPECT_TRUE(checksums_ok(f));
  uint16_t lport = p.src_port;

  // The SYN-ACK's MSS is lowered by the option's 8 bytes on its way to the client.
  out = run(net::build_tcp(from_server(rs, local), {.src_port = 8080, .dst_port = lport, .flags = SYN | ACK,
                                                    .options = {2, 4, 0x05, 0xb4}}), 2);
  ASSERT_EQ(out[0].kind, Action::Tx);
  f = sent(out[0]);
  p = parse(f);
  EXPECT_EQ(p.src, vip);
  EXPECT_EQ(p.dst, client);
  EXPECT_EQ(p.dst_port, 40000);
  size_t mss = find_option(f, p, 2);
  ASSERT_NE(mss, 0u);
  EXPECT_EQ(net::load16(&f[mss + 2]), 1460 - 8);
  EXPECT_TRUE(checksums_ok(f));

  // The handshake-completing ACK carries TOA: kind 254, length 8, port, address.
  out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 2, .flags = ACK}));
  ASSERT_EQ(out[0].kind, Action::Tx);
  f = sent(out[0]);
  p = parse(f);
  size_t at = find_option(f, p, xmit::kToaKind);
  ASSERT_NE(at, 0u);
  EXPECT_EQ(f[at + 1], 8);
  EXPECT_EQ(net::load16(&f[at + 2]), 40000);
  EXPECT_EQ(net::Addr::v4_bytes(&f[at + 4]), client);
  EXPECT_TRUE(checksums_ok(f));

  // A retransmission of that ACK carries it again (the first may have been lost).
  out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 2, .flags = ACK}));
  f = sent(out[0]);
  p = parse(f);
  EXPECT_NE(find_option(f, p, xmit::kToaKind), 0u);
  EXPECT_TRUE(checksums_ok(f));

  // Data, and pure ACKs after data, go without it.
  out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 2, .flags = ACK | net::tcp_flag::PSH,
                                                      .payload = {'G', 'E', 'T'}}));
  f = sent(out[0]);
  p = parse(f);
  EXPECT_EQ(find_option(f, p, xmit::kToaKind), 0u);
  out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 5, .flags = ACK}));
  f = sent(out[0]);
  p = parse(f);
  EXPECT_EQ(find_option(f, p, xmit::kToaKind), 0u);
}

TEST_F(Director, FullnatWithoutToaAddsNoOption) {
  net::Addr local = A("192.168.10.50");
  ctx.locals = {local};
  engine.set_fullnat_locals({local});
  add_service(vip, 80, ipvs::Fwd::FullNat, rs, 8080);
  auto out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  Bytes f = sent(out[0]);
  uint16_t lport = parse(f).src_port;
  run(net::build_tcp(from_server(rs, local), {.src_port = 8080, .dst_port = lport, .flags = SYN | ACK}), 2);
  out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = ACK}));
  f = sent(out[0]);
  auto p = parse(f);
  EXPECT_EQ(find_option(f, p, xmit::kToaKind), 0u);
}

TEST_F(Director, NoDestAnswersPortUnreachable) {
  add_service(vip, 80, ipvs::Fwd::Masq, net::Addr{}, 0);  // a service without real servers
  add_service(A("2001:db8::100"), 80, ipvs::Fwd::Masq, net::Addr{}, 0);
  for (auto [c, v] : {std::pair{client, vip}, std::pair{A("2001:db8:9::9"), A("2001:db8::100")}}) {
    auto out = run(net::build_tcp(from_client(c, v), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].kind, Action::Tx);
    EXPECT_EQ(out[0].iface, 1u);
    Bytes f = sent(out[0]);
    auto p = parse(f);
    EXPECT_EQ(p.src, v);
    EXPECT_EQ(p.dst, c);
    EXPECT_EQ(p.icmp_type, c.is_v4() ? net::icmp4::DestUnreach : net::icmp6::DestUnreach);
    EXPECT_EQ(p.icmp_code, c.is_v4() ? 3 : 4);
    ASSERT_TRUE(p.inner.present);
    EXPECT_EQ(p.inner.dst_port, 80);
    EXPECT_EQ(eth_dst(f), kGwMac);
    EXPECT_TRUE(checksums_ok(f));
  }
  EXPECT_EQ(pipe.counters().unreachables, 2u);
}

TEST_F(Director, UnknownNeighbourSolicitsAndHolds) {
  add_service(vip, 80, ipvs::Fwd::Masq, A("192.168.10.9"), 8080);  // MAC unknown
  auto out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, Action::Tx);
  EXPECT_EQ(out[0].iface, 2u);
  EXPECT_EQ(out[0].frame, net::build_arp_request(kInMac, A("192.168.10.1"), A("192.168.10.9")));
  // The SYN is rewritten (NAT to the real server) and held for the MAC.
  EXPECT_EQ(out[1].kind, Action::Hold);
  EXPECT_EQ(out[1].iface, 2u);
  EXPECT_EQ(out[1].next_hop, A("192.168.10.9"));
  EXPECT_TRUE(out[1].from_buf);
  Bytes held_frame = sent(out[1]);
  auto held = parse(held_frame);
  EXPECT_EQ(held.dst, A("192.168.10.9"));
  EXPECT_EQ(held.dst_port, 8080);
  EXPECT_TRUE(checksums_ok(held_frame));
  EXPECT_EQ(pipe.counters().held, 1u);
  EXPECT_EQ(pipe.counters().dropped(DropCause::NeighbourUnresolved), 0u);

  // IPv6: a neighbour solicitation to the solicited-node group.
  add_service(A("2001:db8::100"), 80, ipvs::Fwd::Masq, A("fd00:10::9"), 8080);
  out = run(net::build_tcp(from_client(A("2001:db8:9::9"), A("2001:db8::100")),
                           {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  ASSERT_EQ(out.size(), 2u);
  Bytes ns = out[0].frame;
  auto p = parse(ns);
  EXPECT_EQ(p.icmp_type, net::icmp6::NeighborSolicit);
  EXPECT_EQ(p.dst, A("ff02::1:ff00:9"));
  EXPECT_EQ(eth_dst(ns), (net::Mac{0x33, 0x33, 0xff, 0, 0, 9}));
  EXPECT_TRUE(checksums_ok(ns));
  EXPECT_EQ(out[1].kind, Action::Hold);
  EXPECT_EQ(pipe.counters().held, 2u);
}

TEST_F(Director, NeighbourSolicitationForVipIsAnswered) {
  net::Addr vip6 = A("2001:db8::100");
  add_service(vip6, 80, ipvs::Fwd::Masq, A("fd00:10::9"), 8080);
  // An NS from the client's router for the VIP, to its solicited-node group.
  net::Mac router{0x02, 0xaa, 0, 0, 0, 1};
  net::FrameSpec f{.src_mac = router, .dst_mac = {0x33, 0x33, 0xff, 0, 1, 0}, .src = A("2001:db8::1"),
                   .dst = A("ff02::1:ff00:100"), .ttl = 255};
  net::IcmpSpec m{.type = net::icmp6::NeighborSolicit};
  m.payload.assign(vip6.bytes.begin(), vip6.bytes.end());
  auto out = run(net::build_icmp(f, m));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  auto na = parse(out[0].frame);
  EXPECT_EQ(na.icmp_type, net::icmp6::NeighborAdvert);
  EXPECT_EQ(na.src, vip6);
  EXPECT_EQ(na.dst, A("2001:db8::1"));
  EXPECT_EQ(na.ttl, 255);
  EXPECT_EQ(eth_dst(out[0].frame), router);
  EXPECT_TRUE(checksums_ok(out[0].frame));
  const uint8_t* icmp = out[0].frame.data() + na.l4_offset;
  EXPECT_EQ(icmp[4], 0x60);  // Solicited | Override
  EXPECT_EQ(net::Addr::v6_bytes(icmp + 8), vip6);
  EXPECT_EQ(icmp[24], 2);    // target link-layer address option: the ingress MAC
  EXPECT_EQ(net::Mac(std::to_array({icmp[26], icmp[27], icmp[28], icmp[29], icmp[30], icmp[31]})), kOutMac);
  EXPECT_EQ(pipe.counters().nd_replies, 1u);

  // An NS for an address the director does not own goes to the kernel; so does one with a
  // hop limit below 255 (it crossed a router: RFC 4861 says ignore it).
  m.payload.assign(16, 0);
  m.payload[0] = 0x20;
  out = run(net::build_icmp(f, m));
  EXPECT_EQ(out.at(0).kind, Action::ToKernel);
  f.ttl = 64;
  m.payload.assign(vip6.bytes.begin(), vip6.bytes.end());
  out = run(net::build_icmp(f, m));
  EXPECT_EQ(out.at(0).kind, Action::ToKernel);
}

TEST_F(Director, NoRouteIsCounted) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  // The SYN-ACK to a client with no route back (9/8).
  auto out = run(net::build_tcp(from_client(A("9.9.9.9"), vip), {.src_port = 1, .dst_port = 80, .flags = SYN}));
  ASSERT_EQ(out[0].kind, Action::Tx);
  out = run(net::build_tcp(from_server(rs, A("9.9.9.9")), {.src_port = 8080, .dst_port = 1, .flags = SYN | ACK}), 2);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].cause, DropCause::NoRoute);
}

TEST_F(Director, NotOursGoesToKernel) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  // SSH to the director, a port without a service, a non-IP ethertype.
  for (auto& frame : {net::build_tcp(from_client(client, A("10.0.0.1")), {.src_port = 5000, .dst_port = 22, .flags = SYN}),
                      net::build_tcp(from_client(client, vip), {.src_port = 5000, .dst_port = 443, .flags = SYN}),
                      net::build_udp(from_client(client, vip), {.src_port = 5000, .dst_port = 53})}) {
    auto out = run(frame);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, Action::ToKernel);
  }
  Bytes other(60, 0);
  other[12] = 0x88, other[13] = 0xcc;  // LLDP
  EXPECT_EQ(run(other)[0].kind, Action::ToKernel);
}
