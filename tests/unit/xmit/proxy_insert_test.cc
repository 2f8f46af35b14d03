// Proxy Protocol insertion: results compared byte for byte with the segment built directly with
// the header in front of the payload (so lengths and every checksum equal a full
// recomputation) for even and odd header and payload lengths; arming at the SYN; the first
// data segment, its retransmission, later segments; the SYN-ACK clamp; refusals.
#include "xmit/proxy_insert.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "net/tcp.h"
#include "xmit/seq_adjust.h"
#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

namespace {

constexpr uint8_t SYN = net::tcp_flag::SYN, ACK = net::tcp_flag::ACK, PSH = net::tcp_flag::PSH,
                  URG = net::tcp_flag::URG;
using ipvs::ClientAddr;

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }
Bytes cat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

struct Seg {
  net::Family fam = net::Family::V4;
  uint32_t seq = 1001, ack = 5001;
  uint8_t flags = ACK | PSH;
  uint16_t urg = 0;
  Bytes options;
  Bytes payload;
  int vlans = 0;
  bool ip_options = false;
};

// laddr:lport → RS:dport (a client segment after fullnat_in).
Bytes segment(const Seg& s) {
  Flow fl = flow(s.fam);
  net::FrameSpec f{.src = fl.local, .dst = fl.real, .ttl = 63, .ip_id = 77, .dont_fragment = true};
  for (int i = 0; i < s.vlans; ++i) f.vlans.push_back(uint16_t(30 + i));
  if (s.ip_options) f.ip_options = {0x94, 0x04, 0, 0};  // router alert
  return net::build_tcp(f, {.src_port = fl.lport, .dst_port = fl.dport, .seq = s.seq, .ack = s.ack,
                            .flags = s.flags, .urgent_ptr = s.urg, .options = s.options, .payload = s.payload});
}

// VIP:vport → client:cport (a server segment after fullnat_out).
Bytes to_client(net::Family fam, uint32_t ack, uint8_t flags, Bytes options = {}) {
  Flow fl = flow(fam);
  return net::build_tcp({.src = fl.vip, .dst = fl.client},
                        {.src_port = fl.vport, .dst_port = fl.cport, .seq = 9000, .ack = ack, .flags = flags,
                         .options = std::move(options)});
}

Bytes pattern(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t(i * 7 + 3);
  return b;
}

// Frames worth a look by scapy (ULVS_PROXY_DUMP=file: "name hex" lines, proxy_scapy_check.py).
void dump(const std::string& name, const Bytes& frame) {
  const char* path = std::getenv("ULVS_PROXY_DUMP");
  if (!path) return;
  std::ofstream out(path, std::ios::app);
  out << name << ' ';
  static const char* hex = "0123456789abcdef";
  for (uint8_t b : frame) out << hex[b >> 4] << hex[b & 15];
  out << '\n';
}

}  // namespace

TEST(ProxyInsert, EqualsTheSegmentBuiltWithTheHeader) {
  const Bytes kTs = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
  for (auto fam : {net::Family::V4, net::Family::V6})
    for (size_t hlen : {1u, 2u, 28u, 39u, 52u, 107u})
      for (size_t plen : {1u, 2u, 3u, 100u, 1001u})
        for (int vlans : {0, 2})
          for (bool ip_opts : {false, true}) {
            if (ip_opts && fam == net::Family::V6) continue;
            Bytes header = pattern(hlen);
            for (auto& b : header) b ^= 0xa5;
            Seg s{.fam = fam, .options = kTs, .payload = pattern(plen), .vlans = vlans, .ip_options = ip_opts};
            TestFrame t(segment(s));
            ASSERT_EQ(proxy_insert(t.buf, t.parse(), header), Status::Ok);
            Seg want = s;
            want.payload = cat(header, s.payload);
            SCOPED_TRACE(testing::Message() << "hlen " << hlen << " plen " << plen << " vlans " << vlans);
            EXPECT_EQ(t.bytes(), segment(want));
            EXPECT_TRUE(checksums_ok(t.bytes()));
          }
}

TEST(ProxyInsert, PayloadOfZerosAndAllOnes) {
  // One's-complement corner cases: sums of 0x0000 and 0xffff.
  for (uint8_t fill : {uint8_t(0), uint8_t(0xff)})
    for (size_t hlen : {1u, 39u, 28u}) {
      Seg s{.payload = Bytes(33, fill)};
      Bytes header(hlen, fill);
      TestFrame t(segment(s));
      ASSERT_EQ(proxy_insert(t.buf, t.parse(), header), Status::Ok);
      Seg want = s;
      want.payload = cat(header, s.payload);
      EXPECT_EQ(t.bytes(), segment(want));
    }
}

TEST(ProxyInsert, UrgentPointerFollowsTheData) {
  Seg s{.flags = ACK | URG, .urg = 3, .payload = text("abc")};
  TestFrame t(segment(s));
  ASSERT_EQ(proxy_insert(t.buf, t.parse(), text("hdr")), Status::Ok);
  Seg want = s;
  want.urg = 6;
  want.payload = text("hdrabc");
  EXPECT_EQ(t.bytes(), segment(want));
}

TEST(ProxyInsert, EthernetPaddingIsDropped) {
  Bytes f = segment({.payload = text("a")});  // 14 + 20 + 20 + 1 = 55 bytes: padded to 60
  f.resize(60, 0);
  TestFrame t(f);
  ASSERT_EQ(proxy_insert(t.buf, t.parse(), text("PROXY")), Status::Ok);
  EXPECT_EQ(t.bytes(), segment({.payload = text("PROXYa")}));
}

TEST(ProxyInsert, RefusesTooBigOrNoRoomLeavingTheFrame) {
  Bytes f = segment({.payload = pattern(1421)});  // IP 1461 bytes
  Bytes header = pattern(39);
  TestFrame ok(f);
  EXPECT_EQ(proxy_insert(ok.buf, ok.parse(), header, 1500), Status::Ok);  // exactly 1500
  TestFrame big(f);
  EXPECT_EQ(proxy_insert(big.buf, big.parse(), header, 1499), Status::MtuExceeded);
  EXPECT_EQ(big.bytes(), f);
  TestFrame tight(f, 10, 10);
  EXPECT_EQ(proxy_insert(tight.buf, tight.parse(), header), Status::NoRoom);
  EXPECT_EQ(tight.bytes(), f);
  Flow fl = flow(net::Family::V4);
  TestFrame udp(net::build_udp({.src = fl.local, .dst = fl.real}, {.src_port = 1, .dst_port = 2}));
  EXPECT_EQ(proxy_insert(udp.buf, udp.parse(), header), Status::Malformed);
  for_each_prefix(segment({.payload = text("GET")}), [&](PacketBuf& b, const net::ParsedFrame& p) {
    proxy_insert(b, p, header, 1500);
  });
}

TEST(ProxyHeader, FromTheEntry) {
  ipvs::Conn c = make_conn(flow(net::Family::V4));
  ProxyHeader h = proxy_header(c);
  EXPECT_EQ(Bytes(h.span().begin(), h.span().end()), text("PROXY TCP4 1.1.1.1 10.0.0.100 40000 80\r\n"));
  c.flags |= ipvs::conn_flag::kProxyV2;
  EXPECT_EQ(proxy_header(c).len, 28u);
  c = make_conn(flow(net::Family::V6));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(proxy_header(c).bytes.data()), proxy_header(c).len),
            "PROXY TCP6 2001:db8::1 2001:db8:100::100 40000 80\r\n");
  c.flags |= ipvs::conn_flag::kProxyV2;
  EXPECT_EQ(proxy_header(c).len, 52u);
}

// A connection's life through proxy_in / proxy_out, both families and versions.
struct Life : ::testing::TestWithParam<std::tuple<net::Family, ClientAddr>> {};

TEST_P(Life, ArmInsertRetransmitShift) {
  auto [fam, mode] = GetParam();
  ipvs::Conn c = make_conn(flow(fam));
  c.state = uint8_t(ipvs::TcpState::SynRecv);  // what the engine made of the SYN
  Bytes mss = {2, 4, 0x05, 0xb4};            // 1460

  TestFrame syn(segment({.fam = fam, .seq = 1000, .ack = 0, .flags = SYN, .options = mss}));
  Bytes syn_before = syn.bytes();
  ASSERT_EQ(proxy_in(syn.buf, syn.parse(), c, mode, 1500), Status::Ok);
  EXPECT_EQ(syn.bytes(), syn_before);
  EXPECT_EQ(c.pp_seq, 1001u);
  ProxyHeader h = proxy_header(c);
  Bytes header(h.span().begin(), h.span().end());
  EXPECT_EQ(c.pp_delta, header.size());
  EXPECT_EQ(bool(c.flags & ipvs::conn_flag::kProxyV2), mode == ClientAddr::ProxyV2);

  // SYN-ACK: MSS lowered by the header length, ack (ISN + 1) kept.
  TestFrame synack(to_client(fam, 1001, SYN | ACK, mss));
  ASSERT_EQ(proxy_out(synack.buf, synack.parse(), c), Status::Ok);
  uint16_t clamped = uint16_t(1460 - header.size());
  EXPECT_EQ(synack.bytes(), to_client(fam, 1001, SYN | ACK, {2, 4, uint8_t(clamped >> 8), uint8_t(clamped)}));
  dump(std::string("synack_") + (fam == net::Family::V4 ? "v4" : "v6"), synack.bytes());

  // Handshake ACK, no data: unchanged.
  c.state = uint8_t(ipvs::TcpState::Established);
  Bytes ack = segment({.fam = fam, .seq = 1001, .flags = ACK});
  TestFrame t0(ack);
  ASSERT_EQ(proxy_in(t0.buf, t0.parse(), c, mode, 1500), Status::Ok);
  EXPECT_EQ(t0.bytes(), ack);

  // First data, then its retransmission: the header in front, seq kept, same bytes twice.
  Bytes get = text("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  Bytes want = segment({.fam = fam, .seq = 1001, .payload = cat(header, get)});
  for (int i = 0; i < 2; ++i) {
    TestFrame t(segment({.fam = fam, .seq = 1001, .payload = get}));
    ASSERT_EQ(proxy_in(t.buf, t.parse(), c, mode, 1500), Status::Ok);
    EXPECT_EQ(t.bytes(), want);
    EXPECT_TRUE(checksums_ok(t.bytes()));
    if (i == 0) dump(std::string("first_") + (fam == net::Family::V4 ? "v4_" : "v6_") +
                     (mode == ClientAddr::ProxyV2 ? "v2" : "v1"), t.bytes());
  }
  // A full-MSS first segment (clamped MSS) fits a 1500-byte MTU exactly (no options).
  size_t room = 1500 - (fam == net::Family::V4 ? 20 : 40) - 20;
  TestFrame full(segment({.fam = fam, .seq = 1001, .payload = pattern(room - header.size())}));
  EXPECT_EQ(proxy_in(full.buf, full.parse(), c, mode, 1500), Status::Ok);
  TestFrame over(segment({.fam = fam, .seq = 1001, .payload = pattern(room - header.size() + 1)}));
  EXPECT_EQ(proxy_in(over.buf, over.parse(), c, mode, 1500), Status::MtuExceeded);

  // Later data: seq moved up.  The server's ack and SACK moved down.
  uint32_t next = 1001 + uint32_t(get.size());
  TestFrame later(segment({.fam = fam, .seq = next, .payload = text("more")}));
  ASSERT_EQ(proxy_in(later.buf, later.parse(), c, mode, 1500), Status::Ok);
  EXPECT_EQ(later.bytes(), segment({.fam = fam, .seq = uint32_t(next + header.size()), .payload = text("more")}));
  TestFrame sack(to_client(fam, uint32_t(next + header.size()), ACK,
                           {1, 1, 5, 10, 0, 0, 0x10, 0, 0, 0, 0x11, 0}));  // 4096-4352
  ASSERT_EQ(proxy_out(sack.buf, sack.parse(), c), Status::Ok);
  uint32_t l = uint32_t(4096 - header.size()), r = uint32_t(4352 - header.size());
  EXPECT_EQ(sack.bytes(), to_client(fam, next, ACK,
                                    {1, 1, 5, 10, 0, 0, uint8_t(l >> 8), uint8_t(l), 0, 0, uint8_t(r >> 8), uint8_t(r)}));
  dump(std::string("sack_") + (fam == net::Family::V4 ? "v4" : "v6"), sack.bytes());
}

INSTANTIATE_TEST_SUITE_P(All, Life,
                         ::testing::Combine(::testing::Values(net::Family::V4, net::Family::V6),
                                            ::testing::Values(ClientAddr::ProxyV1, ClientAddr::ProxyV2)));

TEST(ProxyIn, ArmingRules) {
  Flow fl = flow(net::Family::V4);
  ipvs::Conn c = make_conn(fl);
  c.state = uint8_t(ipvs::TcpState::SynRecv);
  auto syn = [&](uint32_t seq, uint8_t flags = SYN) { return TestFrame(segment({.seq = seq, .ack = 0, .flags = flags})); };
  // No Proxy Protocol for the service, or not a plain SYN: not armed.
  using Case = std::pair<ClientAddr, uint8_t>;
  for (auto [mode, flags] : {Case{ClientAddr::None, SYN}, Case{ClientAddr::Toa, SYN},
                             Case{ClientAddr::ProxyV1, uint8_t(SYN | ACK)}, Case{ClientAddr::ProxyV1, ACK}}) {
    TestFrame t = syn(1000, flags);
    EXPECT_EQ(proxy_in(t.buf, t.parse(), c, mode), Status::Ok);
    EXPECT_EQ(c.pp_delta, 0);
  }
  TestFrame t = syn(1000);
  ASSERT_EQ(proxy_in(t.buf, t.parse(), c, ClientAddr::ProxyV1), Status::Ok);
  EXPECT_EQ(c.pp_seq, 1001u);
  // A stray SYN in an established connection changes nothing …
  c.state = uint8_t(ipvs::TcpState::Established);
  TestFrame stray = syn(77777);
  ASSERT_EQ(proxy_in(stray.buf, stray.parse(), c, ClientAddr::ProxyV2), Status::Ok);
  EXPECT_EQ(c.pp_seq, 1001u);
  EXPECT_FALSE(c.flags & ipvs::conn_flag::kProxyV2);
  // … one the engine took as reopening the entry re-arms it.
  c.state = uint8_t(ipvs::TcpState::SynRecv);
  TestFrame again = syn(50000);
  ASSERT_EQ(proxy_in(again.buf, again.parse(), c, ClientAddr::ProxyV2), Status::Ok);
  EXPECT_EQ(c.pp_seq, 50001u);
  EXPECT_EQ(c.pp_delta, 28);
  // UDP: never armed, never touched.
  ipvs::Conn u = make_conn(fl);
  u.protocol = net::ipproto::Udp;
  TestFrame d(net::build_udp({.src = fl.local, .dst = fl.real}, {.src_port = 5000, .dst_port = 8080}));
  EXPECT_EQ(proxy_in(d.buf, d.parse(), u, ClientAddr::ProxyV2), Status::Ok);
  EXPECT_EQ(u.pp_delta, 0);
}

TEST(ProxyIn, SynWithDataAndOvertakingSegments) {
  Flow fl = flow(net::Family::V4);
  ipvs::Conn c = make_conn(fl);
  c.state = uint8_t(ipvs::TcpState::SynRecv);
  Bytes header = text("PROXY TCP4 1.1.1.1 10.0.0.100 40000 80\r\n");
  // TCP Fast Open: the SYN's data starts at ISN + 1 and gets the header.
  TestFrame tfo(segment({.seq = 1000, .ack = 0, .flags = SYN, .payload = text("GET")}));
  ASSERT_EQ(proxy_in(tfo.buf, tfo.parse(), c, ClientAddr::ProxyV1), Status::Ok);
  EXPECT_EQ(tfo.bytes(), segment({.seq = 1000, .ack = 0, .flags = SYN, .payload = cat(header, text("GET"))}));
  // A second segment overtaking a lost first one is already shifted.
  ipvs::Conn d = make_conn(fl);
  d.state = uint8_t(ipvs::TcpState::SynRecv);
  TestFrame s(segment({.seq = 1000, .ack = 0, .flags = SYN}));
  proxy_in(s.buf, s.parse(), d, ClientAddr::ProxyV1);
  d.state = uint8_t(ipvs::TcpState::Established);
  TestFrame second(segment({.seq = 1101, .payload = text("b")}));
  ASSERT_EQ(proxy_in(second.buf, second.parse(), d, ClientAddr::ProxyV1), Status::Ok);
  EXPECT_EQ(second.bytes(), segment({.seq = uint32_t(1101 + header.size()), .payload = text("b")}));
  TestFrame first(segment({.seq = 1001, .payload = pattern(100)}));
  ASSERT_EQ(proxy_in(first.buf, first.parse(), d, ClientAddr::ProxyV1), Status::Ok);
  EXPECT_EQ(first.bytes(), segment({.seq = 1001, .payload = cat(header, pattern(100))}));
}

TEST(ProxyOut, UnarmedOrMalformedSynAck) {
  ipvs::Conn c = make_conn(flow(net::Family::V4));
  Bytes mss = {2, 4, 0x05, 0xb4};
  TestFrame t(to_client(net::Family::V4, 1001, SYN | ACK, mss));
  Bytes before = t.bytes();
  EXPECT_EQ(proxy_out(t.buf, t.parse(), c), Status::Ok);  // not armed: untouched
  EXPECT_EQ(t.bytes(), before);
  c.pp_seq = 1001;
  c.pp_delta = 39;
  TestFrame bad(to_client(net::Family::V4, 1001, SYN | ACK, {2, 4, 0x05, 0xb4, 5, 1, 0, 0}));
  before = bad.bytes();
  EXPECT_EQ(proxy_out(bad.buf, bad.parse(), c), Status::Ok);  // MSS left, still forwarded
  EXPECT_EQ(bad.bytes(), before);
}

TEST(ProxyIn, Fragments) {
  Flow fl = flow(net::Family::V4);
  ipvs::Conn c = make_conn(fl);
  c.pp_seq = 1001;
  c.pp_delta = 40;
  auto frag = [&](uint32_t seq, uint32_t offset, bool more) {
    net::FrameSpec f{.src = fl.local, .dst = fl.real, .fragment = net::FragmentSpec{.offset = offset, .more = more, .id = 9}};
    return net::build_tcp(f, {.src_port = fl.lport, .dst_port = fl.dport, .seq = seq, .payload = pattern(64)});
  };
  // Not the first: no TCP header, passes untouched both ways.
  Bytes rest = frag(1001, 64, false);
  TestFrame t(rest);
  ASSERT_FALSE(t.parse().has_l4());
  EXPECT_EQ(proxy_in(t.buf, t.parse(), c, ClientAddr::ProxyV1), Status::Ok);
  EXPECT_EQ(proxy_out(t.buf, t.parse(), c), Status::Ok);
  EXPECT_EQ(t.bytes(), rest);
  // A first fragment after the first data byte: shifted; one needing the header: refused.
  TestFrame later(frag(2001, 0, true));
  EXPECT_EQ(proxy_in(later.buf, later.parse(), c, ClientAddr::ProxyV1), Status::Ok);
  EXPECT_EQ(later.bytes(), frag(2041, 0, true));
  Bytes first = frag(1001, 0, true);
  TestFrame f(first);
  EXPECT_EQ(proxy_in(f.buf, f.parse(), c, ClientAddr::ProxyV1), Status::Unsupported);
  EXPECT_EQ(f.bytes(), first);
}
