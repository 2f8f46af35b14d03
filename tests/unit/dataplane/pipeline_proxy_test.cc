// Proxy Protocol through the whole pipeline (FULLNAT, real engine): handshake, first data with
// the header, its retransmission, later data, FIN, the server's ACKs and SACKs, the SYN-ACK's
// MSS clamp, the too-big refusal; IPv4 with v1, IPv6 with v2 (and the other pairs); every
// checksum recomputed in full.
#include <gtest/gtest.h>

#include <string>

#include "dataplane/pipeline.h"
#include "pipeline_test_util.h"

using namespace ulvs;
using namespace ulvs::dataplane;
using namespace ulvs::dataplane::test;

namespace {

using xmit::test::checksums_ok;
constexpr uint8_t SYN = net::tcp_flag::SYN, ACK = net::tcp_flag::ACK, FIN = net::tcp_flag::FIN,
                  PSH = net::tcp_flag::PSH;

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }
Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
Bytes be32(uint32_t v) { return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}; }

// What a test reads back from a sent frame.
struct Seen {
  net::ParsedFrame p;
  uint32_t seq = 0, ack = 0;
  Bytes options, payload;
};
Seen seen(Bytes f) {
  Seen s;
  s.p = net::parse_frame(f);
  const uint8_t* tcp = &f[s.p.l4_offset];
  s.seq = net::load32(tcp + 4);
  s.ack = net::load32(tcp + 8);
  s.options.assign(tcp + 20, tcp + (tcp[12] >> 4) * 4);
  s.payload.assign(f.begin() + s.p.payload_offset, f.begin() + s.p.payload_offset + s.p.payload_len);
  return s;
}

struct Case {
  bool v6;
  ipvs::ClientAddr mode;
};

struct ProxyDirector : Director, ::testing::WithParamInterface<Case> {
  net::Addr c, v, r, local;
  uint16_t lport = 0;
  ipvs::Service* svc = nullptr;

  void SetUp() override {
    bool v6 = GetParam().v6;
    c = v6 ? A("2001:db8:9::9") : client;
    v = v6 ? A("2001:db8::100") : vip;
    r = v6 ? A("fd00:10::2") : rs;
    local = v6 ? A("fd00:10::50") : A("192.168.10.50");
    ctx.locals = {local};
    engine.set_fullnat_locals({local});
    add_service(v, 80, ipvs::Fwd::FullNat, r, 8080, GetParam().mode);
  }

  // Client → VIP; expects one Tx to the real server and returns what it carried.
  Seen client_sends(uint32_t seq, uint32_t ack, uint8_t flags, Bytes payload = {}, Bytes options = {}) {
    auto out = run(net::build_tcp(from_client(c, v), {.src_port = 40000, .dst_port = 80, .seq = seq, .ack = ack,
                                                      .flags = flags, .options = options, .payload = payload}));
    EXPECT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, Action::Tx);
    EXPECT_EQ(out[0].iface, 2u);
    Bytes f = sent(out[0]);
    EXPECT_TRUE(checksums_ok(f));
    Seen s = seen(f);
    EXPECT_EQ(s.p.src, local);
    EXPECT_EQ(s.p.dst, r);
    EXPECT_EQ(s.p.dst_port, 8080);
    lport = s.p.src_port;
    last = f;
    return s;
  }
  // Real server → local address; expects one Tx to the client.
  Seen server_sends(uint32_t seq, uint32_t ack, uint8_t flags, Bytes options = {}, Bytes payload = {}) {
    auto out = run(net::build_tcp(from_server(r, local), {.src_port = 8080, .dst_port = lport, .seq = seq,
                                                          .ack = ack, .flags = flags, .options = options,
                                                          .payload = payload}),
                   2);
    EXPECT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, Action::Tx);
    EXPECT_EQ(out[0].iface, 1u);
    Bytes f = sent(out[0]);
    EXPECT_TRUE(checksums_ok(f));
    Seen s = seen(f);
    EXPECT_EQ(s.p.src, v);
    EXPECT_EQ(s.p.src_port, 80);
    EXPECT_EQ(s.p.dst, c);
    EXPECT_EQ(s.p.dst_port, 40000);
    return s;
  }
  Bytes last;  // the last frame client_sends saw go out
};

// The header the real server must see, written out by hand (not with proxy_v1/proxy_v2).
Bytes expected_header(const Case& k) {
  if (k.mode == ipvs::ClientAddr::ProxyV1)
    return text(k.v6 ? "PROXY TCP6 2001:db8:9::9 2001:db8::100 40000 80\r\n"
                     : "PROXY TCP4 1.1.1.1 10.0.0.100 40000 80\r\n");
  Bytes h = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21};
  if (!k.v6) {
    Bytes rest = {0x11, 0, 12, 1, 1, 1, 1, 10, 0, 0, 100, 0x9c, 0x40, 0, 80};
    return cat(h, rest);
  }
  h.insert(h.end(), {0x21, 0, 36});
  auto c = A("2001:db8:9::9"), v = A("2001:db8::100");
  h.insert(h.end(), c.bytes.begin(), c.bytes.end());
  h.insert(h.end(), v.bytes.begin(), v.bytes.end());
  h.insert(h.end(), {0x9c, 0x40, 0, 80});
  return h;
}

}  // namespace

TEST_P(ProxyDirector, WholeConnection) {
  const Case k = GetParam();
  const Bytes header = expected_header(k);
  const uint32_t L = uint32_t(header.size());
  EXPECT_EQ(L, k.mode == ipvs::ClientAddr::ProxyV2 ? (k.v6 ? 52u : 28u) : (k.v6 ? 49u : 40u));
  const uint16_t mss = k.v6 ? 1440 : 1460;
  const Bytes mss_opt = {2, 4, uint8_t(mss >> 8), uint8_t(mss)}, sack_ok = {1, 1, 4, 2};
  uint64_t client_bytes = 0;

  // SYN (ISN 1000): forwarded unchanged apart from FULLNAT.
  Seen s = client_sends(1000, 0, SYN, {}, cat(mss_opt, sack_ok));
  client_bytes += s.p.l3_len;
  EXPECT_EQ(s.seq, 1000u);
  EXPECT_EQ(s.options, cat(mss_opt, sack_ok));

  // SYN-ACK: ack 1001 kept, MSS lowered by the header length.
  s = server_sends(7000, 1001, SYN | ACK, cat(mss_opt, sack_ok));
  EXPECT_EQ(s.seq, 7000u);
  EXPECT_EQ(s.ack, 1001u);
  uint16_t clamped = uint16_t(mss - L);
  EXPECT_EQ(s.options, cat({2, 4, uint8_t(clamped >> 8), uint8_t(clamped)}, sack_ok));

  // Handshake ACK, no data: no header, no shift.
  s = client_sends(1001, 7001, ACK);
  client_bytes += s.p.l3_len;
  EXPECT_EQ(s.seq, 1001u);
  EXPECT_TRUE(s.payload.empty());
  ipvs::Conn* conn = engine.conns().lookup_in(6, c, 40000, v, 80);
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(conn->tcp_state(), ipvs::TcpState::Established);

  // First data: header in front, seq kept, lengths and checksums right.
  Bytes get = text("GET / HTTP/1.1\r\nHost: ulvs\r\n\r\n");
  s = client_sends(1001, 7001, ACK | PSH, get);
  client_bytes += s.p.l3_len - L;
  EXPECT_EQ(s.seq, 1001u);
  EXPECT_EQ(s.ack, 7001u);
  EXPECT_EQ(s.payload, cat(header, get));
  EXPECT_EQ(s.p.l3_len, (k.v6 ? 40u : 20u) + 20 + L + get.size());
  Bytes first = last;

  // Its retransmission: the very same bytes.
  s = client_sends(1001, 7001, ACK | PSH, get);
  client_bytes += s.p.l3_len - L;
  EXPECT_EQ(last, first);

  // The server acks header + request and answers; the client sees its own numbers.
  const uint32_t after_get = 1001 + uint32_t(get.size());
  s = server_sends(7001, after_get + L, ACK | PSH, {}, text("HTTP/1.1 200 OK\r\n\r\n"));
  EXPECT_EQ(s.ack, after_get);
  EXPECT_EQ(s.seq, 7001u);

  // Later data (with a SACK block naming server bytes: untouched), then FIN: seq + L.
  Bytes client_sack = cat({1, 1, 5, 10}, cat(be32(9000), be32(9100)));
  s = client_sends(after_get, 7020, ACK, text("more"), client_sack);
  client_bytes += s.p.l3_len;
  EXPECT_EQ(s.seq, after_get + L);
  EXPECT_EQ(s.ack, 7020u);
  EXPECT_EQ(s.options, client_sack);
  EXPECT_EQ(s.payload, text("more"));
  s = client_sends(after_get + 104, 7020, ACK, text("later"));  // 100 bytes lost in between
  client_bytes += s.p.l3_len;
  EXPECT_EQ(s.seq, after_get + 104 + L);

  // The server SACKs the later segment (and a D-SACK of the header + request): client numbers.
  Bytes sack_srv = cat({1, 1, 5, 18}, cat(cat(be32(after_get + 104 + L), be32(after_get + 109 + L)),
                                          cat(be32(1001), be32(after_get + L))));
  Bytes sack_cli = cat({1, 1, 5, 18}, cat(cat(be32(after_get + 104), be32(after_get + 109)),
                                          cat(be32(1001), be32(after_get))));
  s = server_sends(7020, after_get + 4 + L, ACK, sack_srv);
  EXPECT_EQ(s.ack, after_get + 4);
  EXPECT_EQ(s.options, sack_cli);

  s = client_sends(after_get + 109, 7020, FIN | ACK);
  client_bytes += s.p.l3_len;
  EXPECT_EQ(s.seq, after_get + 109 + L);
  s = server_sends(7020, after_get + 110 + L, FIN | ACK);
  EXPECT_EQ(s.ack, after_get + 110);

  // The engine saw the client's packets as sent (its byte counters have no header in them).
  EXPECT_EQ(conn->dest->stats.live.inbytes, client_bytes);
  EXPECT_EQ(pipe.counters().tx, 11u);
}

TEST_P(ProxyDirector, FullSizedFirstSegmentFitsOneByteMoreDoesNot) {
  const Case k = GetParam();
  const uint32_t L = uint32_t(expected_header(k).size());
  client_sends(1000, 0, SYN, {}, {2, 4, 0x05, 0xb4});
  server_sends(7000, 1001, SYN | ACK, {2, 4, 0x05, 0xb4});
  client_sends(1001, 7001, ACK);
  // The MTU of the real servers' side is 1500: payload + header up to 1500 - IP - TCP.
  size_t room = 1500 - (k.v6 ? 40 : 20) - 20 - L;
  auto out = run(net::build_tcp(from_client(c, v), {.src_port = 40000, .dst_port = 80, .seq = 1001, .ack = 7001,
                                                    .payload = Bytes(room + 1, 'x')}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, Action::Drop);
  EXPECT_EQ(out[0].cause, DropCause::XmitRefused);
  Seen s = client_sends(1001, 7001, ACK, Bytes(room, 'x'));
  EXPECT_EQ(s.p.l3_len, 1500u);
  EXPECT_EQ(s.payload, cat(expected_header(k), Bytes(room, 'x')));
}

INSTANTIATE_TEST_SUITE_P(All, ProxyDirector,
                         ::testing::Values(Case{false, ipvs::ClientAddr::ProxyV1}, Case{false, ipvs::ClientAddr::ProxyV2},
                                           Case{true, ipvs::ClientAddr::ProxyV1}, Case{true, ipvs::ClientAddr::ProxyV2}),
                         [](const auto& i) {
                           return std::string(i.param.v6 ? "v6" : "v4") +
                                  (i.param.mode == ipvs::ClientAddr::ProxyV1 ? "_v1" : "_v2");
                         });

// Without Proxy Protocol (a TOA service) the same conversation gets no header and no shift.
TEST_F(Director, FullnatWithoutProxyProtocolShiftsNothing) {
  net::Addr local = A("192.168.10.50");
  ctx.locals = {local};
  engine.set_fullnat_locals({local});
  add_service(vip, 80, ipvs::Fwd::FullNat, rs, 8080, ipvs::ClientAddr::Toa);
  auto out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 1000, .flags = SYN}));
  uint16_t lport = seen(sent(out[0])).p.src_port;
  out = run(net::build_tcp(from_server(rs, local), {.src_port = 8080, .dst_port = lport, .seq = 7000, .ack = 1001,
                                                    .flags = SYN | ACK, .options = {2, 4, 0x05, 0xb4}}),
            2);
  // Only TOA's own clamp (8 bytes for the option): 1460 -> 1452, nothing for Proxy Protocol.
  EXPECT_EQ(seen(sent(out[0])).options, (Bytes{2, 4, 0x05, 0xac}));
  out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 1001, .ack = 7001,
                                                      .payload = text("GET")}));
  Seen s = seen(sent(out[0]));
  EXPECT_EQ(s.payload, text("GET"));
  out = run(net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .seq = 1004, .ack = 7001,
                                                      .payload = text("x")}));
  EXPECT_EQ(seen(sent(out[0])).seq, 1004u);
}
