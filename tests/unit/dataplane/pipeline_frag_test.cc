// IP fragments forwarded by their first fragment's connection (no reassembly, frag_table.h):
// a 3-fragment UDP datagram through NAT, in order and with the middle one first, IPv4 and
// IPv6, both directions; the fragments that leave are reassembled here by hand and must give
// the original datagram with the rewritten addresses/ports and a correct UDP checksum.
// Orphans (the first never comes) are dropped and counted after their hold time.
#include <gtest/gtest.h>

#include <algorithm>

#include "dataplane/frag_table.h"
#include "dataplane/pipeline.h"
#include "net/checksum.h"
#include "net/ipv6.h"
#include "pipeline_test_util.h"

using namespace ulvs;
using namespace ulvs::dataplane;
using namespace ulvs::dataplane::test;

namespace {

constexpr uint32_t kId = 0x4242;

Bytes payload() {
  Bytes b(300);
  for (size_t i = 0; i < b.size(); ++i) b[i] = uint8_t(i * 7 + 3);
  return b;
}

// The UDP datagram (header + data) as `src:sp → dst:dp` would send it, checksum computed whole.
Bytes datagram(const net::Addr& s, uint16_t sp, const net::Addr& d, uint16_t dp) {
  Bytes ip = net::build_udp({.ethernet = false, .src = s, .dst = d}, {.src_port = sp, .dst_port = dp, .payload = payload()});
  return Bytes(ip.begin() + (s.is_v4() ? 20 : 40), ip.end());
}

// The datagram cut in three (offsets 0, 104, 208), each an Ethernet frame from `spec`.
std::vector<Bytes> fragments(net::FrameSpec spec, const Bytes& dgram) {
  std::vector<Bytes> out;
  for (uint32_t off : {0u, 104u, 208u}) {
    uint32_t end = std::min<uint32_t>(off + 104, uint32_t(dgram.size()));
    spec.fragment = net::FragmentSpec{.offset = off, .more = end < dgram.size(), .id = kId};
    out.push_back(net::build_ip(spec, net::ipproto::Udp, std::span(dgram).subspan(off, end - off)));
  }
  return out;
}

// Reassembles what left the director: every piece has the same addresses, id and protocol,
// a valid IPv4 header checksum, and the pieces tile the datagram exactly.
Bytes reassemble(std::vector<Bytes> frames, net::Addr& src, net::Addr& dst) {
  struct Piece {
    uint32_t off;
    bool more;
    Bytes data;
  };
  std::vector<Piece> pieces;
  for (Bytes& f : frames) {
    net::ParsedFrame p = net::parse_frame(f);
    EXPECT_TRUE(p.ok());
    EXPECT_TRUE(p.is_fragment);
    EXPECT_EQ(p.l4_proto, net::ipproto::Udp);
    if (pieces.empty()) src = p.src, dst = p.dst;
    EXPECT_EQ(p.src, src);
    EXPECT_EQ(p.dst, dst);
    std::span<uint8_t> ip(f.data() + p.l3_offset, p.l3_len);
    if (p.l3 == net::L3::Ipv4) {
      size_t hl = size_t(ip[0] & 15) * 4;
      EXPECT_EQ(net::internet_checksum(ip.first(hl)), 0) << "IPv4 header checksum";
      EXPECT_EQ(net::load16(&ip[4]), kId);
      pieces.push_back({uint32_t(net::load16(&ip[6]) & 0x1fff) * 8, (ip[6] & 0x20) != 0,
                        Bytes(ip.begin() + hl, ip.end())});
    } else {
      auto v6 = net::Ipv6View::parse(ip);
      EXPECT_TRUE(v6.ok());
      EXPECT_EQ(v6->frag_id(), kId);
      auto pl = v6->payload();
      pieces.push_back({v6->frag_offset(), v6->more_fragments(), Bytes(pl.begin(), pl.end())});
    }
  }
  std::sort(pieces.begin(), pieces.end(), [](auto& a, auto& b) { return a.off < b.off; });
  Bytes whole;
  for (size_t i = 0; i < pieces.size(); ++i) {
    EXPECT_EQ(pieces[i].off, whole.size()) << "gap or overlap";
    EXPECT_EQ(pieces[i].more, i + 1 < pieces.size());
    whole.insert(whole.end(), pieces[i].data.begin(), pieces[i].data.end());
  }
  return whole;
}

bool udp_ok(const net::Addr& s, const net::Addr& d, const Bytes& dgram) {
  return net::udp_checksum(s, d, dgram) == net::load16(&dgram[6]);
}

struct Fam {
  net::Addr client, vip, rs;
};
const Fam kV4{A("1.1.1.1"), A("10.0.0.100"), A("192.168.10.2")};
const Fam kV6{A("2001:db8:9::9"), A("2001:db8::100"), A("fd00:10::2")};

}  // namespace

struct Fragments : Director, ::testing::WithParamInterface<bool> {
  Fam f = GetParam() ? kV6 : kV4;
  void SetUp() override { add_service(f.vip, 53, ipvs::Fwd::Masq, f.rs, 5353, ipvs::ClientAddr::None, net::ipproto::Udp); }

  // Runs the frames in `order`, collecting what is sent (all Tx, to `iface`).
  std::vector<Bytes> send(const std::vector<Bytes>& frags, std::vector<int> order, uint32_t ingress, uint32_t iface) {
    std::vector<Bytes> sent_frames;
    for (int i : order) {
      auto out = run(frags[i], ingress);
      for (const Action& a : out) {
        if (a.kind == Action::Drop && a.cause == DropCause::None) continue;  // kept for later
        EXPECT_EQ(a.kind, Action::Tx) << "fragment " << i;
        EXPECT_EQ(a.iface, iface);
        sent_frames.push_back(sent(a));
        EXPECT_EQ(eth_dst(sent_frames.back()), iface == 2 ? kRsMac : kGwMac);
      }
    }
    return sent_frames;
  }
};

TEST_P(Fragments, RequestInOrder) {
  auto out = send(fragments(from_client(f.client, f.vip), datagram(f.client, 5000, f.vip, 53)), {0, 1, 2}, 1, 2);
  ASSERT_EQ(out.size(), 3u);
  net::Addr s, d;
  Bytes whole = reassemble(out, s, d);
  EXPECT_EQ(s, f.client);
  EXPECT_EQ(d, f.rs);
  EXPECT_EQ(whole, datagram(f.client, 5000, f.rs, 5353));
  EXPECT_TRUE(udp_ok(s, d, whole));
  EXPECT_EQ(engine.conns().size(), 1u);
  // The connection counted one packet of the whole datagram's length (header of the first).
  auto& st = engine.find_service({.family = f.vip.family, .protocol = net::ipproto::Udp, .addr = f.vip, .port = 53})
                 ->dests()[0]->stats.live;
  EXPECT_EQ(st.inpkts, 1u);
  EXPECT_EQ(st.inbytes, (f.vip.is_v4() ? 20u : 48u) + whole.size());
}

TEST_P(Fragments, RequestMiddleFirst) {
  auto frags = fragments(from_client(f.client, f.vip), datagram(f.client, 5000, f.vip, 53));
  auto out = run(frags[1]);
  ASSERT_EQ(out.size(), 1u);  // kept: nothing to send yet
  EXPECT_EQ(out[0].kind, Action::Drop);
  EXPECT_EQ(out[0].cause, DropCause::None);
  EXPECT_EQ(pipe.counters().frags_early, 1u);
  // The first: itself (the buffer) and the kept middle one (a copy).
  out = run(frags[0]);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].from_buf);
  EXPECT_FALSE(out[1].from_buf);
  std::vector<Bytes> all = {sent(out[0]), sent(out[1])};
  for (Bytes& b : send(frags, {2}, 1, 2)) all.push_back(b);
  net::Addr s, d;
  Bytes whole = reassemble(all, s, d);
  EXPECT_EQ(s, f.client);
  EXPECT_EQ(d, f.rs);
  EXPECT_EQ(whole, datagram(f.client, 5000, f.rs, 5353));
  EXPECT_TRUE(udp_ok(s, d, whole));
  EXPECT_EQ(pipe.counters().dropped(DropCause::FragmentOrphan), 0u);
}

// The real server's fragmented reply: source RS:5353 → VIP:53 in every piece (the port in the
// first), to the client's gateway; the last piece arrives first.
TEST_P(Fragments, ReplyOutOfOrder) {
  run(net::build_udp(from_client(f.client, f.vip), {.src_port = 5000, .dst_port = 53}));
  auto frags = fragments(from_server(f.rs, f.client), datagram(f.rs, 5353, f.client, 5000));
  auto out = send(frags, {2, 0, 1}, 2, 1);
  ASSERT_EQ(out.size(), 3u);
  net::Addr s, d;
  Bytes whole = reassemble(out, s, d);
  EXPECT_EQ(s, f.vip);
  EXPECT_EQ(d, f.client);
  EXPECT_EQ(whole, datagram(f.vip, 53, f.client, 5000));
  EXPECT_TRUE(udp_ok(s, d, whole));
}

// A later fragment whose first never comes: kept 1 s, then dropped and counted.
TEST_P(Fragments, OrphanExpires) {
  auto frags = fragments(from_client(f.client, f.vip), datagram(f.client, 5000, f.vip, 53));
  run(frags[2]);
  run(frags[1]);
  EXPECT_EQ(pipe.counters().frags_early, 2u);
  now += 500;
  run(net::build_arp_request(kGwMac, A("10.0.0.254"), A("10.0.0.1")));  // any frame: time passes
  EXPECT_EQ(pipe.counters().dropped(DropCause::FragmentOrphan), 0u);
  now += 600;
  run(net::build_arp_request(kGwMac, A("10.0.0.254"), A("10.0.0.1")));
  EXPECT_EQ(pipe.counters().dropped(DropCause::FragmentOrphan), 2u);
  // The first arriving now finds nothing kept: only itself goes.
  auto out = run(frags[0]);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, Action::Tx);
}

// Fragments of a datagram the engine passes (no service on that port): all to the kernel;
// fragments to nobody of ours: the kernel's, never kept.
TEST_P(Fragments, NotOursGoToKernel) {
  auto frags = fragments(from_client(f.client, f.vip), datagram(f.client, 5000, f.vip, 54));
  for (int i : {0, 1, 2}) EXPECT_EQ(run(frags[i]).at(0).kind, Action::ToKernel) << i;
  net::Addr other = f.vip.is_v4() ? A("10.0.0.77") : A("2001:db8::77");
  frags = fragments(from_client(f.client, other), datagram(f.client, 5000, other, 53));
  EXPECT_EQ(run(frags[2]).at(0).kind, Action::ToKernel);
  EXPECT_EQ(pipe.counters().frags_early, 0u);
}

INSTANTIATE_TEST_SUITE_P(Families, Fragments, ::testing::Bool(),
                         [](const auto& i) { return i.param ? std::string("v6") : std::string("v4"); });

// The table's bounds: 8 kept per datagram, 64 datagrams; beyond, the fragment is refused.
TEST(FragTable, Bounds) {
  FragTable t;
  Bytes frame(100, 1);
  FragKey k{.src = A("1.1.1.1"), .dst = A("10.0.0.100"), .id = 1, .proto = 17};
  for (size_t i = 0; i < FragTable::kPerKey; ++i) EXPECT_TRUE(t.hold(k, frame, 1, 0));
  EXPECT_FALSE(t.hold(k, frame, 1, 0));
  for (uint32_t id = 2; id <= FragTable::kPendingKeys; ++id) EXPECT_TRUE(t.hold({k.src, k.dst, id, 17}, frame, 1, 0));
  EXPECT_FALSE(t.hold({k.src, k.dst, 9999, 17}, frame, 1, 0));
  EXPECT_EQ(t.take(k).size(), FragTable::kPerKey);
  EXPECT_TRUE(t.hold({k.src, k.dst, 9999, 17}, frame, 1, 0));
  EXPECT_EQ(t.expire(FragTable::kHoldMs - 1), 0u);
  EXPECT_EQ(t.expire(FragTable::kHoldMs), FragTable::kPendingKeys);
  EXPECT_EQ(t.held_bytes(), 0u);

  // Learnt entries: found until 2 s, a full probe window evicts the oldest.
  t.learn({.key = k, .id = 7}, 0);
  ASSERT_NE(t.find(k, FragTable::kEntryMs - 1), nullptr);
  EXPECT_EQ(t.find(k, FragTable::kEntryMs - 1)->id, 7u);
  EXPECT_EQ(t.find(k, FragTable::kEntryMs), nullptr);
  for (uint32_t id = 0; id < 5000; ++id) t.learn({.key = {k.src, k.dst, id, 17}}, id);
  EXPECT_NE(t.find({k.src, k.dst, 4999, 17}, 5000), nullptr);
}
