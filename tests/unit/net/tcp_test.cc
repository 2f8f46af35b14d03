// tcp_test.cc — TcpView and the option iterator: captured segment, built SYNs, truncation,
// lying data offsets, malformed options, random bytes.
#include "net/tcp.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "net/builder.h"
#include "net/captures.h"
#include "net/checksum.h"


namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes tcp_part(const Bytes& frame) { return Bytes(frame.begin() + 34, frame.end()); }

TEST(Tcp, CapturedSegment) {
  Bytes b = tcp_part(captures::http_get());
  auto tcp = TcpView::parse(b);
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->src_port(), 50679);
  EXPECT_EQ(tcp->dst_port(), 80);
  EXPECT_EQ(tcp->seq(), 0xc57e0e48u);
  EXPECT_EQ(tcp->ack_seq(), 0x49074232u);
  EXPECT_EQ(tcp->header_len(), 32u);
  EXPECT_EQ(tcp->flags(), tcp_flag::PSH | tcp_flag::ACK);
  EXPECT_TRUE(tcp->has(tcp_flag::ACK));
  EXPECT_FALSE(tcp->has(tcp_flag::SYN));
  EXPECT_EQ(tcp->window(), 0x73);
  EXPECT_EQ(tcp->checksum(), 0xabb1);
  EXPECT_EQ(tcp->urgent_ptr(), 0);
  EXPECT_EQ(tcp->payload().size(), sizeof(captures::kHttpGetText) - 1);
  EXPECT_EQ(tcp->payload()[0], 'G');
  // The capture was taken on the sender with checksum offload: the field holds only the folded
  // pseudo-header sum (CHECKSUM_PARTIAL), which the NIC would have completed.
  Addr src = *Addr::parse("172.17.81.73"), dst = *Addr::parse("173.222.254.225");
  EXPECT_EQ(tcp->checksum(), csum_fold(pseudo_header_sum(src, dst, ipproto::Tcp, uint32_t(b.size()))));
  tcp->set_checksum(tcp_checksum(src, dst, b));
  EXPECT_EQ(tcp->checksum(), 0x9a8f);  // what the NIC put on the wire (computed independently)
  EXPECT_EQ(csum_fold(csum_partial(b, pseudo_header_sum(src, dst, ipproto::Tcp, uint32_t(b.size())))), 0xffff);

  std::vector<TcpOption> opts;
  for (const TcpOption& o : tcp->options()) opts.push_back(o);
  ASSERT_EQ(opts.size(), 3u);
  EXPECT_EQ(opts[0].kind, tcp_opt::Nop);
  EXPECT_EQ(opts[1].kind, tcp_opt::Nop);
  EXPECT_EQ(opts[2].kind, tcp_opt::Timestamp);
  EXPECT_EQ(opts[2].len, 10);
  EXPECT_EQ(opts[2].offset, 2u);
  ASSERT_EQ(opts[2].value.size(), 8u);
  EXPECT_EQ(load32(&opts[2].value[0]), 0x0377379cu);
  EXPECT_EQ(load32(&opts[2].value[4]), 0x42775e3au);
  EXPECT_TRUE(tcp->options().well_formed());
  EXPECT_FALSE(tcp->mss());
}

TEST(Tcp, BuiltSynWithOptions) {
  Bytes opts = mss_option(1460);
  for (uint8_t x : {4, 2, 1, 3, 3, 7}) opts.push_back(x);  // SACK-permitted, NOP, wscale 7
  FrameSpec f{.ethernet = false};
  Bytes b = build_tcp(f, {.src_port = 40000, .dst_port = 443, .seq = 1000, .ack = 0,
                          .flags = tcp_flag::SYN, .window = 29200, .options = opts});
  auto tcp = TcpView::parse(std::span(b).subspan(20));
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->header_len(), 32u);  // 10 option bytes padded to 12
  EXPECT_EQ(tcp->mss(), 1460);
  EXPECT_EQ(tcp->flags(), tcp_flag::SYN);
  EXPECT_EQ(tcp->window(), 29200);
  auto ws = tcp->options().find(tcp_opt::WindowScale);
  ASSERT_TRUE(ws);
  EXPECT_EQ(ws->value[0], 7);
  EXPECT_EQ(ws->offset, 7u);
  EXPECT_TRUE(tcp->options().find(tcp_opt::SackPermitted));
  EXPECT_FALSE(tcp->options().find(tcp_opt::Timestamp));
  EXPECT_TRUE(tcp->options().well_formed());
  int count = 0;
  for (const TcpOption& o : tcp->options()) count += o.kind != tcp_opt::Nop;
  EXPECT_EQ(count, 3);  // the End-of-list padding stops iteration
}

TEST(Tcp, MalformedOptions) {
  auto check = [](Bytes opts, size_t valid_before, bool malformed) {
    TcpOptions o(opts);
    auto it = o.begin();
    size_t n = 0;
    for (; it != o.end(); ++it) {
      ASSERT_LE(it->offset + it->len, opts.size());
      ++n;
    }
    EXPECT_EQ(n, valid_before);
    EXPECT_EQ(it.malformed(), malformed);
    EXPECT_EQ(o.well_formed(), !malformed);
  };
  check({1, 1, 2, 0, 0, 0}, 2, true);    // length 0 would loop forever
  check({1, 2, 1, 0, 0, 0}, 1, true);    // length 1 is too short
  check({2, 4, 5, 180}, 1, false);       // exact fit
  check({2, 5, 5, 180}, 0, true);        // runs past the end
  check({1, 1, 8}, 2, true);             // kind without a length byte
  check({0, 2, 200, 1}, 0, false);       // End-of-list: the rest is ignored
  check({}, 0, false);
  Bytes short_mss{2, 3, 5, 1};
  EXPECT_FALSE(TcpOptions(short_mss).mss());  // MSS with the wrong length
}

TEST(Tcp, DataOffsetLies) {
  Bytes b = tcp_part(captures::http_get());
  b.resize(32);
  for (uint8_t doff = 0; doff < 16; ++doff) {
    Bytes c = b;
    c[12] = uint8_t(doff << 4);
    auto tcp = TcpView::parse(c);
    if (doff < 5) {
      EXPECT_EQ(tcp.error(), ParseError::BadHeaderLength) << int(doff);
    } else if (doff > 8) {
      EXPECT_EQ(tcp.error(), ParseError::Truncated) << int(doff);
    } else {
      ASSERT_TRUE(tcp);
      EXPECT_EQ(tcp->header_len(), doff * 4u);
      EXPECT_EQ(tcp->payload().size(), 32u - doff * 4);
    }
  }
}

TEST(Tcp, EveryTruncation) {
  Bytes full = tcp_part(captures::http_get());
  for (size_t n = 0; n <= full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + n);
    auto tcp = TcpView::parse(cut);
    ASSERT_EQ(bool(tcp), n >= 32) << n;
    if (!tcp) {
      EXPECT_EQ(tcp.error(), ParseError::Truncated);
      continue;
    }
    EXPECT_EQ(tcp->payload().size(), n - 32);
    EXPECT_TRUE(tcp->options().well_formed());
  }
}

TEST(Tcp, Setters) {
  Bytes b = tcp_part(captures::http_get());
  auto tcp = TcpView::parse(b);
  tcp->set_src_port(1);
  tcp->set_dst_port(0xfffe);
  tcp->set_seq(0xdeadbeef);
  tcp->set_ack_seq(0x01020304);
  tcp->set_flags(tcp_flag::FIN | tcp_flag::ACK);
  tcp->set_window(512);
  tcp->set_checksum(0x1234);
  tcp->set_urgent_ptr(9);
  EXPECT_EQ(tcp->src_port(), 1);
  EXPECT_EQ(tcp->dst_port(), 0xfffe);
  EXPECT_EQ(tcp->seq(), 0xdeadbeefu);
  EXPECT_EQ(tcp->ack_seq(), 0x01020304u);
  EXPECT_EQ(tcp->flags(), 0x11);
  EXPECT_EQ(tcp->window(), 512);
  EXPECT_EQ(tcp->checksum(), 0x1234);
  EXPECT_EQ(tcp->urgent_ptr(), 9);
  EXPECT_EQ(b[4], 0xde);  // network order on the wire
  EXPECT_EQ(b[16], 0x12);
  EXPECT_EQ(tcp->header_len(), 32u);  // flags did not touch the data offset
}

TEST(Tcp, RandomBytesStayInBounds) {
  std::mt19937 rng(8);
  for (int t = 0; t < 100000; ++t) {
    Bytes b(rng() % 80);
    for (auto& x : b) x = uint8_t(rng() % 3 ? rng() % 12 : rng());  // option-like bytes
    if (b.size() > 12) b[12] = uint8_t((5 + rng() % 11) << 4);
    auto tcp = TcpView::parse(b);
    if (!tcp) continue;
    ASSERT_LE(tcp->header_len(), b.size());
    size_t n = 0;
    for (const TcpOption& o : tcp->options()) {
      ASSERT_LE(o.offset + o.len, tcp->options().bytes().size());
      ASSERT_LT(++n, 41u);
    }
    (void)tcp->mss();
  }
}

}  // namespace
}  // namespace ulvs::net
