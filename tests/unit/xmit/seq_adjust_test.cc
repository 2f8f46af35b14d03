// seq_adjust: the Proxy Protocol sequence shift.  Each result is compared byte for byte with
// the segment built directly with the expected numbers (so every checksum equals a full
// recomputation), SACK edges at even and odd offsets, sequence wrap-around, odd input.
#include "xmit/seq_adjust.h"

#include <gtest/gtest.h>

#include "net/tcp.h"
#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

namespace {

constexpr uint8_t SYN = net::tcp_flag::SYN, ACK = net::tcp_flag::ACK, FIN = net::tcp_flag::FIN,
                  RST = net::tcp_flag::RST;

// Mapping rules, at pp_seq 1001 with a 39-byte header.
static_assert(seq_to_server(1000, true, 1001, 39) == 1000);   // the SYN
static_assert(seq_to_server(1001, false, 1001, 39) == 1001);  // first data / handshake ACK
static_assert(seq_to_server(1002, false, 1001, 39) == 1041);
static_assert(seq_to_server(1001, true, 1001, 39) == 1040);   // a SYN after the first byte
static_assert(seq_to_server(5, false, 0xfffffff0u, 39) == 44);  // across the wrap
static_assert(seq_to_server(0x80000000u + 1001, false, 1001, 39) == 0x80000000u + 1001);  // "before"
static_assert(ack_to_client(1001, 1001, 39) == 1001);
static_assert(ack_to_client(1000, 1001, 39) == 1000);
static_assert(ack_to_client(1020, 1001, 39) == 1001);  // part of the header
static_assert(ack_to_client(1039, 1001, 39) == 1001);
static_assert(ack_to_client(1040, 1001, 39) == 1001);  // the whole header, no data
static_assert(ack_to_client(1540, 1001, 39) == 1501);
static_assert(ack_to_client(20, 0xfffffff0u, 39) == 0xfffffff0u);  // inside the header
static_assert(ack_to_client(30, 0xfffffff0u, 39) == 0xfffffff7u);
static_assert(ack_to_client(60, 0xfffffff0u, 39) == 21);

struct Seg {
  net::Family fam = net::Family::V4;
  bool to_client = false;  // server → client (VIP → client) rather than client → server
  uint32_t seq = 0, ack = 0;
  uint8_t flags = ACK;
  Bytes options;
  Bytes payload;
  int vlans = 0;
};

Bytes segment(const Seg& s) {
  Flow fl = flow(s.fam);
  net::FrameSpec f{.src = fl.local, .dst = fl.real, .ttl = 63};
  uint16_t sport = fl.lport, dport = fl.dport;
  if (s.to_client) {
    f.src = fl.vip;
    f.dst = fl.client;
    sport = fl.vport;
    dport = fl.cport;
  }
  for (int i = 0; i < s.vlans; ++i) f.vlans.push_back(uint16_t(30 + i));
  return net::build_tcp(f, {.src_port = sport, .dst_port = dport, .seq = s.seq, .ack = s.ack,
                            .flags = s.flags, .options = s.options, .payload = s.payload});
}

ipvs::Conn armed(net::Family fam, uint32_t pp_seq = 1001, uint16_t delta = 39) {
  ipvs::Conn c = make_conn(flow(fam));
  c.pp_seq = pp_seq;
  c.pp_delta = delta;
  return c;
}

Bytes be32(uint32_t v) { return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}; }

// A SACK option with the given edges (left, right, left, right …), `pad` NOPs in front.
Bytes sack(std::initializer_list<uint32_t> edges, int pad) {
  Bytes o(size_t(pad), net::tcp_opt::Nop);
  o.push_back(net::tcp_opt::Sack);
  o.push_back(uint8_t(2 + 4 * edges.size()));
  for (uint32_t e : edges) {
    Bytes b = be32(e);
    o.insert(o.end(), b.begin(), b.end());
  }
  return o;
}

template <class Fn>
void expect(const Seg& before, const Seg& after, const ipvs::Conn& c, Fn fn) {
  TestFrame t(segment(before));
  ASSERT_EQ(fn(t.buf, t.parse(), c), Status::Ok);
  EXPECT_EQ(t.bytes(), segment(after));
  EXPECT_TRUE(checksums_ok(t.bytes()));
}

}  // namespace

TEST(SeqAdjustIn, ShiftsOnlyWhatFollowsTheFirstDataByte) {
  for (auto fam : {net::Family::V4, net::Family::V6}) {
    ipvs::Conn c = armed(fam);
    Bytes data = {'a', 'b', 'c'};
    // Unchanged: the SYN, the handshake ACK / first data at pp_seq.
    expect({.fam = fam, .seq = 1000, .flags = SYN}, {.fam = fam, .seq = 1000, .flags = SYN}, c, seq_adjust_in);
    expect({.fam = fam, .seq = 1001, .ack = 7}, {.fam = fam, .seq = 1001, .ack = 7}, c, seq_adjust_in);
    // Later data, FIN, RST, pure ACKs: +39.  The client's ACK and SACK name server bytes: kept.
    Bytes csack = sack({5000, 6000}, 2);
    expect({.fam = fam, .seq = 1501, .ack = 4000, .options = csack, .payload = data},
           {.fam = fam, .seq = 1540, .ack = 4000, .options = csack, .payload = data}, c, seq_adjust_in);
    for (uint8_t f : {uint8_t(FIN | ACK), RST, ACK}) {
      expect({.fam = fam, .seq = 1002, .ack = 4000, .flags = f, .vlans = 2},
             {.fam = fam, .seq = 1041, .ack = 4000, .flags = f, .vlans = 2}, c, seq_adjust_in);
    }
  }
}

TEST(SeqAdjustIn, AcrossTheWrapAndUnarmed) {
  ipvs::Conn c = armed(net::Family::V4, 0xfffffff0u, 28);
  expect({.seq = 0xfffffffau}, {.seq = 0xfffffffau + 28}, c, seq_adjust_in);
  expect({.seq = 3}, {.seq = 31}, c, seq_adjust_in);
  expect({.seq = 0xffffffefu, .flags = SYN}, {.seq = 0xffffffefu, .flags = SYN}, c, seq_adjust_in);
  ipvs::Conn off = make_conn(flow(net::Family::V4));  // pp_delta 0
  expect({.seq = 5000}, {.seq = 5000}, off, seq_adjust_in);
}

TEST(SeqAdjustOut, AckAndSackEdgesBackToClientNumbers) {
  for (auto fam : {net::Family::V4, net::Family::V6}) {
    ipvs::Conn c = armed(fam);
    // The SYN-ACK acks the SYN only: unchanged.  The server's own seq never moves.
    expect({.fam = fam, .to_client = true, .seq = 7, .ack = 1001, .flags = SYN | ACK},
           {.fam = fam, .to_client = true, .seq = 7, .ack = 1001, .flags = SYN | ACK}, c, seq_adjust_out);
    expect({.fam = fam, .to_client = true, .seq = 7, .ack = 1540},
           {.fam = fam, .to_client = true, .seq = 7, .ack = 1501}, c, seq_adjust_out);
    // Header acked but no data yet.
    expect({.fam = fam, .to_client = true, .seq = 7, .ack = 1040},
           {.fam = fam, .to_client = true, .seq = 7, .ack = 1001}, c, seq_adjust_out);
    // No ACK flag: the field means nothing and stays.
    expect({.fam = fam, .to_client = true, .seq = 7, .ack = 1540, .flags = RST},
           {.fam = fam, .to_client = true, .seq = 7, .ack = 1540, .flags = RST}, c, seq_adjust_out);
    // SACK blocks, aligned (2 NOPs) and at odd offsets (1 and 3 NOPs), with timestamps around.
    Bytes ts = {8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
    for (int pad : {0, 1, 2, 3}) {
      Bytes before = sack({2040, 3040, 1040, 1540, 900, 1001}, pad), after = sack({2001, 3001, 1001, 1501, 900, 1001}, pad);
      before.insert(before.begin(), ts.begin(), ts.end());
      after.insert(after.begin(), ts.begin(), ts.end());
      expect({.fam = fam, .to_client = true, .seq = 7, .ack = 1540, .options = before, .payload = {'x'}},
             {.fam = fam, .to_client = true, .seq = 7, .ack = 1501, .options = after, .payload = {'x'}}, c,
             seq_adjust_out);
    }
  }
}

TEST(SeqAdjustOut, MalformedOptionsStillShiftTheAck) {
  ipvs::Conn c = armed(net::Family::V4);
  Bytes bad = {5, 10, 0, 0, 0x04, 0x10, 0, 0, 0x05, 0xdc, 5, 1};  // SACK, then a length-1 option
  Bytes good = {5, 10, 0, 0, 0x03, 0xe9, 0, 0, 0x05, 0xb5, 5, 1};  // 1040 → 1001, 1500 → 1461
  expect({.to_client = true, .ack = 1540, .options = bad}, {.to_client = true, .ack = 1501, .options = good}, c,
         seq_adjust_out);
}

TEST(SeqAdjust, RefusesWhatIsNotTcpAndStaysInBounds) {
  ipvs::Conn c = armed(net::Family::V4);
  Flow fl = flow(net::Family::V4);
  TestFrame udp(net::build_udp({.src = fl.local, .dst = fl.real}, {.src_port = 1, .dst_port = 2}));
  EXPECT_EQ(seq_adjust_in(udp.buf, udp.parse(), c), Status::Malformed);
  EXPECT_EQ(seq_adjust_out(udp.buf, udp.parse(), c), Status::Malformed);
  Bytes f = segment({.to_client = true, .ack = 1540, .options = sack({2040, 3040}, 2), .payload = {1, 2, 3}});
  for_each_prefix(f, [&](PacketBuf& b, const net::ParsedFrame& p) {
    seq_adjust_in(b, p, c);
    seq_adjust_out(b, p, c);
  });
}
