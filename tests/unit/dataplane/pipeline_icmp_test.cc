// ICMP errors about the director's connections, relayed as ip_vs_in_icmp / ip_vs_out_icmp do:
// each relayed frame compared byte for byte with one built from scratch (so every checksum,
// outer and quoted, equals a full recomputation), per method and direction; unrelated errors
// to the kernel; the connection's stats and the relay counter.
#include <gtest/gtest.h>

#include "dataplane/pipeline.h"
#include "net/icmp.h"
#include "pipeline_test_util.h"

using namespace ulvs;
using namespace ulvs::dataplane;
using namespace ulvs::dataplane::test;

namespace {
using xmit::test::checksums_ok;
using xmit::test::ip_packet;
constexpr uint8_t SYN = net::tcp_flag::SYN, ACK = net::tcp_flag::ACK;

// A TCP segment as an IP packet (no Ethernet): what an ICMP error quotes.
Bytes tcp_packet(const net::Addr& s, uint16_t sp, const net::Addr& d, uint16_t dp, uint32_t seq = 1,
                 Bytes payload = {}) {
  return net::build_tcp({.ethernet = false, .src = s, .dst = d},
                        {.src_port = sp, .dst_port = dp, .seq = seq, .flags = ACK, .payload = payload});
}
Bytes udp_packet(const net::Addr& s, uint16_t sp, const net::Addr& d, uint16_t dp) {
  return net::build_udp({.ethernet = false, .src = s, .dst = d},
                        {.src_port = sp, .dst_port = dp, .payload = {'q', 'u', 'e', 'r', 'y'}});
}
Bytes first(const Bytes& b, size_t n) { return Bytes(b.begin(), b.begin() + std::min(n, b.size())); }

// An ICMP(v6) error frame quoting `quote`.
Bytes icmp_error(const net::FrameSpec& f, uint8_t type, uint8_t code, uint32_t rest, const Bytes& quote) {
  return net::build_icmp(f, {.type = type, .code = code, .rest = rest, .payload = quote});
}

net::FrameSpec to_client_side(const net::Addr& src, const net::Addr& dst) {
  return {.src_mac = kOutMac, .dst_mac = kGwMac, .src = src, .dst = dst};
}
net::FrameSpec to_server_side(const net::Addr& src, const net::Addr& dst) {
  return {.src_mac = kInMac, .dst_mac = kRsMac, .src = src, .dst = dst};
}

uint8_t unreach(const net::Addr& a) { return a.is_v4() ? net::icmp4::DestUnreach : net::icmp6::DestUnreach; }
uint8_t too_big(const net::Addr& a) { return a.is_v4() ? net::icmp4::DestUnreach : net::icmp6::PacketTooBig; }
uint8_t too_big_code(const net::Addr& a) { return a.is_v4() ? net::icmp4::FragNeeded : 0; }
uint32_t mtu_rest(const net::Addr& a, uint32_t mtu) { return mtu; }  // v4: low 16 bits; v6: 32 bits

struct Fam {
  net::Addr client, vip, rs, local, router_out, router_in;
};
Fam v4() {
  return {A("1.1.1.1"), A("10.0.0.100"), A("192.168.10.2"), A("192.168.10.50"), A("10.0.0.254"), A("192.168.10.77")};
}
Fam v6() {
  return {A("2001:db8:9::9"), A("2001:db8::100"), A("fd00:10::2"), A("fd00:10::50"), A("2001:db8::fe"), A("fd00:10::77")};
}

const ipvs::Dest& only_dest(ipvs::Engine& e, const ipvs::ServiceKey& k) { return *e.find_service(k)->dests()[0]; }
}  // namespace

// NAT, both families: frag-needed / packet-too-big from a router on the server side quotes
// client → RS; the client gets it from the VIP quoting client → VIP, MTU as reported.
TEST_F(Director, NatServerSideTooBigReachesClientAsFromVip) {
  for (const Fam& f : {v4(), v6()}) {
    auto key = add_service(f.vip, 80, ipvs::Fwd::Masq, f.rs, 8080);
    neigh.known[{2, f.rs}] = kRsMac;
    run(net::build_tcp(from_client(f.client, f.vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));

    Bytes sent_to_rs = tcp_packet(f.client, 40000, f.rs, 8080, 7, Bytes(1300, 'd'));
    uint32_t mtu = f.client.is_v4() ? 1400 : 1280;
    auto out = run(icmp_error(from_server(f.router_in, f.client), too_big(f.client), too_big_code(f.client),
                              mtu_rest(f.client, mtu), first(sent_to_rs, f.client.is_v4() ? 576 - 28 : 1280 - 48)),
                   2);
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].kind, Action::Tx);
    EXPECT_EQ(out[0].iface, 1u);
    Bytes as_client_sent = tcp_packet(f.client, 40000, f.vip, 80, 7, Bytes(1300, 'd'));
    Bytes want = icmp_error(to_client_side(f.vip, f.client), too_big(f.client), too_big_code(f.client),
                            mtu_rest(f.client, mtu), first(as_client_sent, f.client.is_v4() ? 576 - 28 : 1280 - 48));
    EXPECT_EQ(sent(out[0]), want);
    EXPECT_TRUE(checksums_ok(sent(out[0])));
    // Counted on the connection's out side (spec §4.3), and by the pipeline.
    EXPECT_EQ(only_dest(engine, key).stats.live.outpkts, 1u);
    EXPECT_EQ(only_dest(engine, key).stats.live.inpkts, 1u);  // the SYN
  }
  EXPECT_EQ(pipe.counters().icmp_relayed, 2u);
}

// NAT, client side: a port unreachable from the client's host about the reply VIP → client
// goes to the real server, quoting the reply as the server sent it (whole quote: the quoted
// TCP checksum is checked too).
TEST_F(Director, NatClientSideErrorReachesRealServer) {
  for (const Fam& f : {v4(), v6()}) {
    auto key = add_service(f.vip, 80, ipvs::Fwd::Masq, f.rs, 8080);
    run(net::build_tcp(from_client(f.client, f.vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
    Bytes reply = tcp_packet(f.vip, 80, f.client, 40000, 99, {'o', 'k'});
    auto out = run(icmp_error(from_client(f.client, f.vip), unreach(f.client), 3, 0, reply));
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].kind, Action::Tx);
    EXPECT_EQ(out[0].iface, 2u);
    Bytes want = icmp_error(to_server_side(f.client, f.rs), unreach(f.client), 3, 0,
                            tcp_packet(f.rs, 8080, f.client, 40000, 99, {'o', 'k'}));
    EXPECT_EQ(sent(out[0]), want);
    EXPECT_TRUE(checksums_ok(sent(out[0])));
    EXPECT_EQ(only_dest(engine, key).stats.live.inpkts, 2u);  // SYN + the error
  }
}

// FULLNAT, both sides, TCP and UDP quotes, both families.
TEST_F(Director, FullnatErrorsBothWays) {
  for (const Fam& f : {v4(), v6()}) {
    ctx.locals = {f.local};
    engine.set_fullnat_locals({f.local});
    add_service(f.vip, 53, ipvs::Fwd::FullNat, f.rs, 5353, ipvs::ClientAddr::None, net::ipproto::Udp);
    auto out = run(net::build_udp(from_client(f.client, f.vip), {.src_port = 5000, .dst_port = 53}));
    ASSERT_EQ(out[0].kind, Action::Tx);
    Bytes fwd = sent(out[0]);
    uint16_t lport = parse(fwd).src_port;

    // The real server's host: port unreachable about local:lport → RS:5353, to the local address.
    out = run(icmp_error(from_server(f.rs, f.local), unreach(f.client), f.client.is_v4() ? 3 : 4, 0,
                         udp_packet(f.local, lport, f.rs, 5353)),
              2);
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].kind, Action::Tx);
    EXPECT_EQ(out[0].iface, 1u);
    EXPECT_EQ(sent(out[0]), icmp_error(to_client_side(f.vip, f.client), unreach(f.client), f.client.is_v4() ? 3 : 4,
                                       0, udp_packet(f.client, 5000, f.vip, 53)));
    EXPECT_TRUE(checksums_ok(sent(out[0])));

    // The client side: time exceeded from a router about VIP:53 → client:5000.
    uint8_t te = f.client.is_v4() ? net::icmp4::TimeExceeded : net::icmp6::TimeExceeded;
    out = run(icmp_error(from_client(f.router_out, f.vip), te, 0, 0, udp_packet(f.vip, 53, f.client, 5000)));
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].kind, Action::Tx);
    EXPECT_EQ(out[0].iface, 2u);
    EXPECT_EQ(sent(out[0]), icmp_error(to_server_side(f.local, f.rs), te, 0, 0, udp_packet(f.rs, 5353, f.local, lport)));
    EXPECT_TRUE(checksums_ok(sent(out[0])));
  }
  EXPECT_EQ(pipe.counters().icmp_relayed, 4u);
}

// A quote cut after 8 bytes of TCP (RFC 792's minimum): ports rewritten, the quoted checksum
// field is not there to patch, IPv4 header and ICMP checksums still exact.
TEST_F(Director, ShortQuoteIsRelayed) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  auto out = run(icmp_error(from_server(A("192.168.10.77"), client), net::icmp4::TimeExceeded, 0, 0,
                            first(tcp_packet(client, 40000, rs, 8080), 28)),
                 2);
  ASSERT_EQ(out[0].kind, Action::Tx);
  EXPECT_EQ(sent(out[0]), icmp_error(to_client_side(vip, client), net::icmp4::TimeExceeded, 0, 0,
                                     first(tcp_packet(client, 40000, vip, 80), 28)));
  EXPECT_TRUE(checksums_ok(sent(out[0])));
}

// DR and TUN: an error from the client side about a VIP flow goes to the real server like the
// flow's packets (ip_vs_in_icmp → the connection's xmit): DR changes the MACs only, TUN
// encapsulates the ICMP packet unchanged.
TEST_F(Director, DrAndTunForwardClientSideErrors) {
  add_service(vip, 80, ipvs::Fwd::Route, A("192.168.10.3"), 80);
  add_service(vip, 81, ipvs::Fwd::Tunnel, A("192.168.10.3"), 81);
  run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  run(net::build_tcp(from_client(client, vip), {.src_port = 40001, .dst_port = 81, .flags = SYN}));

  Bytes err = icmp_error(from_client(client, vip), net::icmp4::DestUnreach, net::icmp4::FragNeeded, 1200,
                         first(tcp_packet(vip, 80, client, 40000, 5, Bytes(1400, 'r')), 548));
  auto out = run(err);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  EXPECT_EQ(out[0].iface, 2u);
  Bytes f = sent(out[0]);
  EXPECT_EQ(eth_dst(f), kRsMac);
  EXPECT_EQ(eth_src(f), kInMac);
  EXPECT_EQ(Bytes(f.begin() + 12, f.end()), Bytes(err.begin() + 12, err.end()));

  err = icmp_error(from_client(client, vip), net::icmp4::DestUnreach, 3, 0, tcp_packet(vip, 81, client, 40001));
  out = run(err);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].kind, Action::Tx);
  f = sent(out[0]);
  auto p = parse(f);
  EXPECT_EQ(p.l4_proto, net::ipproto::IpIp);
  EXPECT_EQ(p.src, A("192.168.10.1"));
  EXPECT_EQ(p.dst, A("192.168.10.3"));
  EXPECT_TRUE(checksums_ok(f));
  EXPECT_EQ(Bytes(f.begin() + p.l4_offset, f.end()), ip_packet(err));
  EXPECT_EQ(pipe.counters().icmp_relayed, 2u);
}

// What is not about a connection of ours, or not an error that is relayed, goes to the
// kernel untouched; a relayable one with a bad ICMP checksum is dropped (as the kernel does).
TEST_F(Director, UnrelatedErrorsGoToKernel) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN}));
  std::vector<Bytes> frames_in = {
      // unknown flow (other client port)
      icmp_error(from_client(client, vip), net::icmp4::DestUnreach, 3, 0, tcp_packet(vip, 80, client, 40009)),
      // a redirect is never relayed
      icmp_error(from_client(client, vip), net::icmp4::Redirect, 1, 0, tcp_packet(vip, 80, client, 40000)),
      // quoting an ICMP echo (no ports)
      icmp_error(from_client(client, vip), net::icmp4::DestUnreach, 1, 0,
                 ip_packet(net::build_icmp_echo({.src = vip, .dst = client}, false, 1, 1))),
      // about the host's own traffic, to its own address
      icmp_error(from_client(client, A("10.0.0.1")), net::icmp4::DestUnreach, 3, 0,
                 tcp_packet(A("10.0.0.1"), 22, client, 50000)),
  };
  for (const Bytes& in : frames_in) {
    auto out = run(in);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, Action::ToKernel);
  }
  Bytes bad = icmp_error(from_client(client, vip), net::icmp4::DestUnreach, 3, 0, tcp_packet(vip, 80, client, 40000));
  auto p = parse(bad);
  bad[p.l4_offset + 2] ^= 0x40;
  auto out = run(bad);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].cause, DropCause::Malformed);
  EXPECT_EQ(pipe.counters().icmp_relayed, 0u);
}

// FULLNAT + Proxy Protocol: the segment that carried the header was pp_delta bytes longer than
// what the client sent, so a frag-needed quoting it reaches the client with the MTU lowered by
// that much; one quoting any other segment keeps its MTU.
TEST_F(Director, FullnatProxyHeaderLowersReportedMtu) {
  net::Addr local = A("192.168.10.50");
  ctx.locals = {local};
  engine.set_fullnat_locals({local});
  add_service(vip, 80, ipvs::Fwd::FullNat, rs, 8080);
  auto out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 1000, .flags = SYN}));
  Bytes syn_out = sent(out[0]);
  uint16_t lport = parse(syn_out).src_port;
  ipvs::Conn* c = engine.conns().lookup_in(net::ipproto::Tcp, client, 40000, vip, 80);
  ASSERT_NE(c, nullptr);
  c->pp_seq = 1001;  // as proxy_in arms it (xmit/proxy_insert.h)
  c->pp_delta = 40;

  for (auto [seq, want_mtu] : {std::pair{1001u, 1360u}, std::pair{5001u, 1400u}}) {
    out = run(icmp_error(from_server(A("192.168.10.77"), local), net::icmp4::DestUnreach, net::icmp4::FragNeeded, 1400,
                         first(tcp_packet(local, lport, rs, 8080, seq, Bytes(1400, 'x')), 548)),
              2);
    ASSERT_EQ(out[0].kind, Action::Tx);
    EXPECT_EQ(sent(out[0]), icmp_error(to_client_side(vip, client), net::icmp4::DestUnreach, net::icmp4::FragNeeded,
                                       want_mtu, first(tcp_packet(client, 40000, vip, 80, seq, Bytes(1400, 'x')), 548)));
    EXPECT_TRUE(checksums_ok(sent(out[0])));
  }
}
