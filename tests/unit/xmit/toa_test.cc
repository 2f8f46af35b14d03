// TOA: option 254 inserted into a TCP segment; results compared byte for byte with the segment
// built directly with the expected options (so lengths, data offset and every checksum equal a
// full recomputation), pruning when the option space is short, refusals when impossible.
#include "xmit/toa.h"

#include <gtest/gtest.h>

#include "net/tcp.h"
#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

namespace {

const Bytes kNopNopTs = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
const Bytes kMssWs = {2, 4, 0x05, 0xb4, 3, 3, 7};  // 7 bytes: padded with EOL by the builder
const Bytes kSackPerm = {4, 2};

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes toa(const net::Addr& a, uint16_t port) {
  Bytes o(toa_len(a.family));
  o[0] = 254;
  o[1] = toa_len(a.family);
  net::store16(&o[2], port);
  std::copy_n(a.bytes.begin(), a.size(), o.begin() + 4);
  return o;
}

Bytes sack(int blocks) {
  Bytes o = {5, uint8_t(2 + 8 * blocks)};
  for (int i = 0; i < 8 * blocks; ++i) o.push_back(uint8_t(i + 1));
  return o;
}

struct Seg {
  net::Family fam = net::Family::V4;
  Bytes options;
  Bytes payload;
  int vlans = 0;
  bool ip_options = false;
};

// laddr:lport → RS:dport, the FULLNAT'd final ACK.
Bytes segment(const Seg& s) {
  Flow fl = flow(s.fam);
  net::FrameSpec f{.src = fl.local, .dst = fl.real, .ttl = 63, .dont_fragment = true};
  for (int i = 0; i < s.vlans; ++i) f.vlans.push_back(uint16_t(30 + i));
  if (s.ip_options) f.ip_options = {0x94, 0x04, 0, 0};  // router alert
  return net::build_tcp(f, {.src_port = fl.lport, .dst_port = fl.dport, .seq = 0x11223344, .ack = 0x55667788,
                            .flags = net::tcp_flag::ACK, .options = s.options, .payload = s.payload});
}

void expect_insert(const Seg& before, const Bytes& expected_options) {
  Flow fl = flow(before.fam);
  TestFrame t(segment(before));
  ASSERT_EQ(toa_insert(t.buf, t.parse(), fl.client, fl.cport), Status::Ok);
  Seg after = before;
  after.options = expected_options;
  EXPECT_EQ(t.bytes(), segment(after));
  EXPECT_TRUE(checksums_ok(t.bytes()));
  // The option as a toa module reads it.
  Bytes got = t.bytes();
  net::ParsedFrame p = t.parse();
  auto tcp = net::TcpView::parse(std::span(got).subspan(p.l4_offset));
  auto o = tcp->options().find(254);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->len, toa_len(before.fam));
  EXPECT_EQ(o->offset % 4, 0u);
  EXPECT_EQ(net::load16(o->value.data()), fl.cport);
  EXPECT_TRUE(std::equal(o->value.begin() + 2, o->value.end(), fl.client.bytes.begin()));
}

}  // namespace

TEST(Toa, NoOptions) {
  for (auto fam : {net::Family::V4, net::Family::V6})
    expect_insert({.fam = fam}, toa(flow(fam).client, flow(fam).cport));
}

TEST(Toa, AfterTimestamps) {
  for (auto fam : {net::Family::V4, net::Family::V6})
    expect_insert({.fam = fam, .options = kNopNopTs}, cat({kNopNopTs, toa(flow(fam).client, flow(fam).cport)}));
}

TEST(Toa, AfterUnalignedOptionsWithNopPadding) {
  // MSS + window scale (7 bytes, then EOL): the EOL is replaced by a NOP before the TOA.
  Flow fl = flow(net::Family::V4);
  expect_insert({.options = kMssWs}, cat({kMssWs, {1}, toa(fl.client, fl.cport)}));
}

TEST(Toa, WithPayloadVlansAndIpOptions) {
  for (auto fam : {net::Family::V4, net::Family::V6})
    for (int vlans : {0, 1, 2}) {
      Bytes payload(333, 0x5a);
      Flow fl = flow(fam);
      expect_insert({.fam = fam, .options = kNopNopTs, .payload = payload, .vlans = vlans,
                     .ip_options = fam == net::Family::V4},
                    cat({kNopNopTs, toa(fl.client, fl.cport)}));
    }
}

TEST(Toa, PrunesTimestampsFirst) {
  // NOP NOP TS + SACK(3 blocks) = 38 (+2 EOL): no room for 8 → timestamps go: 28 + 8 = 36,
  // the area shrinks by 4.
  Flow fl = flow(net::Family::V4);
  expect_insert({.options = cat({kNopNopTs, sack(3)})}, cat({{1, 1}, sack(3), toa(fl.client, fl.cport)}));
}

TEST(Toa, PrunesSackPermittedThenNops) {
  Flow fl = flow(net::Family::V6);
  // 20-byte TOA. MSS(4) SACKPERM(2) NOP NOP TS(10) NOP WS(3) = 22 → without TS 12, +pad 0, +20 = 32.
  Bytes mss = {2, 4, 5, 0xa0}, ws = {1, 3, 3, 7};
  expect_insert({.fam = net::Family::V6, .options = cat({mss, kSackPerm, {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}, ws})},
                cat({mss, kSackPerm, {1, 1}, ws, toa(fl.client, fl.cport)}));
  // SACK(2) = 18, SACKPERM, NOPs: 18 + 2 + 2 = 22 → 22+20 > 40; without SACKPERM 20 + 20 = 40.
  expect_insert({.fam = net::Family::V6, .options = cat({{1, 1}, sack(2), kSackPerm})},
                cat({{1, 1}, sack(2), toa(fl.client, fl.cport)}));
  // SACK(2) = 18, NOP NOP before and after: 22 → drop NOPs: 18 + 2 pad + 20 = 40.
  expect_insert({.fam = net::Family::V6, .options = cat({{1, 1}, sack(2), {1, 1}})},
                cat({sack(2), {1, 1}, toa(fl.client, fl.cport)}));
}

TEST(Toa, ReplacesAForgedToa) {
  Flow fl = flow(net::Family::V4);
  Bytes forged = toa(A("6.6.6.6"), 666);
  expect_insert({.options = cat({forged, kNopNopTs})}, cat({kNopNopTs, toa(fl.client, fl.cport)}));
}

TEST(Toa, FullOptionSpaceIsRefused) {
  // 40 bytes nothing can be pruned from: SACK(4 blocks, 34) + MSS(4) + an unknown 2-byte option.
  for (auto fam : {net::Family::V4, net::Family::V6}) {
    Flow fl = flow(fam);
    Bytes frame = segment({.fam = fam, .options = cat({sack(4), {2, 4, 5, 0xb4}, {30, 2}})});
    TestFrame t(frame);
    EXPECT_EQ(toa_insert(t.buf, t.parse(), fl.client, fl.cport), Status::OptionSpace);
    EXPECT_EQ(t.bytes(), frame);
  }
  // 36 bytes unprunable (33 + EOL padding): room for 4 only.
  Flow fl = flow(net::Family::V4);
  Bytes frame = segment({.options = cat({sack(3), {2, 4, 5, 0xb4}, {30, 3, 0}})});
  TestFrame t(frame);
  EXPECT_EQ(toa_insert(t.buf, t.parse(), fl.client, fl.cport), Status::OptionSpace);
  EXPECT_EQ(t.bytes(), frame);
}

TEST(Toa, MtuAndRoomAreChecked) {
  Flow fl = flow(net::Family::V4);
  Bytes frame = segment({.options = kNopNopTs, .payload = Bytes(100, 1)});
  size_t ip_len = frame.size() - 14;
  TestFrame t(frame);
  EXPECT_EQ(toa_insert(t.buf, t.parse(), fl.client, fl.cport, uint32_t(ip_len + 7)), Status::MtuExceeded);
  EXPECT_EQ(t.bytes(), frame);
  EXPECT_EQ(toa_insert(t.buf, t.parse(), fl.client, fl.cport, uint32_t(ip_len + 8)), Status::Ok);
  TestFrame tight(frame, 4, 4);
  EXPECT_EQ(toa_insert(tight.buf, tight.parse(), fl.client, fl.cport), Status::NoRoom);
  TestFrame tail_only(frame, 0, 8);
  EXPECT_EQ(toa_insert(tail_only.buf, tail_only.parse(), fl.client, fl.cport), Status::Ok);
  EXPECT_EQ(tail_only.bytes(), segment({.options = cat({kNopNopTs, toa(fl.client, fl.cport)}), .payload = Bytes(100, 1)}));
}

TEST(Toa, EthernetPaddingIsDropped) {
  Flow fl = flow(net::Family::V4);
  Bytes frame = segment({});
  Bytes padded = frame;
  padded.resize(60, 0);  // 54-byte frame padded to the Ethernet minimum
  TestFrame t(padded);
  ASSERT_EQ(toa_insert(t.buf, t.parse(), fl.client, fl.cport), Status::Ok);
  EXPECT_EQ(t.bytes(), segment({.options = toa(fl.client, fl.cport)}));
}

TEST(Toa, NotTcpOrBrokenIsRefused) {
  Flow fl = flow(net::Family::V4);
  TestFrame udp(make_frame({net::Family::V4, net::ipproto::Udp, 0, false}, fl.local, 1, fl.real, 2));
  EXPECT_EQ(toa_insert(udp.buf, udp.parse(), fl.client, fl.cport), Status::Unsupported);
  TestFrame bad(segment({.options = {1, 1, 8, 44, 0, 0}}));  // option runs past the area
  EXPECT_EQ(toa_insert(bad.buf, bad.parse(), fl.client, fl.cport), Status::Malformed);
  for (auto fam : {net::Family::V4, net::Family::V6})
    for_each_prefix(segment({.fam = fam, .options = kNopNopTs, .payload = {1, 2, 3}}),
                    [&](PacketBuf& b, const net::ParsedFrame& p) {
                      EXPECT_NE(toa_insert(b, p, flow(fam).client, 1), Status::Ok);
                      EXPECT_NE(mss_clamp(b, p, 8), Status::Ok);
                    });
}

TEST(MssClamp, LowersTheMssAtEvenAndOddOffsets) {
  for (auto fam : {net::Family::V4, net::Family::V6})
    for (Bytes lead : {Bytes{}, Bytes{1}, Bytes{1, 1}, Bytes{1, 1, 1}}) {
      Seg s{.fam = fam, .options = cat({lead, {2, 4, 0x05, 0xb4}, {4, 2}})};
      TestFrame t(segment(s));
      uint16_t delta = toa_len(fam);
      ASSERT_EQ(mss_clamp(t.buf, t.parse(), delta), Status::Ok);
      Seg want = s;
      want.options = cat({lead, {2, 4, uint8_t((1460 - delta) >> 8), uint8_t(1460 - delta)}, {4, 2}});
      EXPECT_EQ(t.bytes(), segment(want)) << lead.size();
    }
}

TEST(MssClamp, NoMssOrTinyMssIsLeftAlone) {
  Bytes frame = segment({.options = kNopNopTs});
  TestFrame t(frame);
  EXPECT_EQ(mss_clamp(t.buf, t.parse(), 8), Status::Ok);
  EXPECT_EQ(t.bytes(), frame);
  Bytes tiny = segment({.options = {2, 4, 0, 8}});
  TestFrame u(tiny);
  EXPECT_EQ(mss_clamp(u.buf, u.parse(), 8), Status::Ok);
  EXPECT_EQ(u.bytes(), tiny);
}
