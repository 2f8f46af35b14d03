// ether_test.cc — Ethernet/VLAN and ARP views on captured and built frames, every truncation,
// lying TPIDs and random bytes.
#include "net/arp.h"
#include "net/ether.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "net/builder.h"
#include "net/captures.h"

namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

const Bytes kVlanCapture = captures::vlan_tcp();
const Bytes kArpRequest = captures::arp_request();

TEST(Ether, CapturedVlanFrame) {
  Bytes f = kVlanCapture;
  auto eth = EtherView::parse(f);
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->dst(), (Mac{0x00, 0x10, 0xdb, 0xff, 0x10, 0x00}));
  EXPECT_EQ(eth->src(), (Mac{0x00, 0x15, 0x2c, 0x9d, 0xcc, 0x00}));
  EXPECT_EQ(eth->vlan_count(), 1);
  EXPECT_EQ(eth->vlan_id(0), 503);
  EXPECT_EQ(eth->vlan_pcp(0), 0);
  EXPECT_EQ(eth->vlan_tpid(0), ethertype::Vlan);
  EXPECT_EQ(eth->ethertype(), ethertype::Ipv4);
  EXPECT_EQ(eth->header_len(), 18u);
  EXPECT_EQ(eth->payload().size(), f.size() - 18);
  EXPECT_EQ(eth->payload()[0], 0x45);
}

TEST(Ether, UntaggedAndQinQFromBuilder) {
  for (size_t tags = 0; tags <= 2; ++tags) {
    FrameSpec spec;
    spec.vlans.assign({100, 200});
    spec.vlans.resize(tags);
    Bytes f = build_udp(spec, {});
    auto eth = EtherView::parse(f);
    ASSERT_TRUE(eth);
    EXPECT_EQ(eth->src(), spec.src_mac);
    EXPECT_EQ(eth->dst(), spec.dst_mac);
    EXPECT_EQ(size_t(eth->vlan_count()), tags);
    for (size_t i = 0; i < tags; ++i) EXPECT_EQ(eth->vlan_id(int(i)), spec.vlans[i]);
    if (tags == 2) {
      EXPECT_EQ(eth->vlan_tpid(0), ethertype::QinQ);
    }
    EXPECT_EQ(eth->ethertype(), ethertype::Ipv4);
    EXPECT_EQ(eth->header_len(), 14 + 4 * tags);
  }
}

TEST(Ether, ThreeTagsUnsupported) {
  Bytes f = from_hex("0000 0000 0001 0000 0000 0002 88a8 0001 8100 0002 8100 0003 0800 4500");
  EXPECT_EQ(EtherView::parse(f).error(), ParseError::Unsupported);
}

TEST(Ether, EveryTruncation) {
  FrameSpec spec;
  spec.vlans = {7, 9};
  Bytes full = build_tcp(spec, {});
  for (size_t n = 0; n <= full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + n);  // exact size: ASan catches any overread
    auto eth = EtherView::parse(cut);
    if (n < 22) {
      EXPECT_EQ(eth.error(), ParseError::Truncated) << n;
    } else {
      ASSERT_TRUE(eth) << n;
      EXPECT_EQ(eth->payload().size(), n - 22);
    }
  }
}

TEST(Ether, TagClaimedButMissing) {
  // Says 802.1Q but ends right after the TPID.
  Bytes f = from_hex("0000 0000 0001 0000 0000 0002 8100");
  EXPECT_EQ(EtherView::parse(f).error(), ParseError::Truncated);
  f = from_hex("0000 0000 0001 0000 0000 0002 8100 0005 8100 0006");
  EXPECT_EQ(EtherView::parse(f).error(), ParseError::Truncated);
}

TEST(Ether, Setters) {
  Bytes f = kVlanCapture;
  auto eth = EtherView::parse(f);
  ASSERT_TRUE(eth);
  f[14] = 0xa1;  // PCP 5, DEI 0, VID high nibble 1
  eth->set_vlan_id(0, 42);
  EXPECT_EQ(eth->vlan_id(0), 42);
  EXPECT_EQ(eth->vlan_pcp(0), 5);
  Mac m{1, 2, 3, 4, 5, 6}, n{9, 8, 7, 6, 5, 4};
  eth->set_dst(m);
  eth->set_src(n);
  eth->set_ethertype(ethertype::Ipv6);
  EXPECT_EQ(eth->dst(), m);
  EXPECT_EQ(eth->src(), n);
  EXPECT_EQ(eth->ethertype(), ethertype::Ipv6);
  EXPECT_EQ(f[16], 0x86);
  EXPECT_EQ(f[17], 0xdd);
}

TEST(Ether, RandomBytesStayInBounds) {
  std::mt19937 rng(5);
  for (int t = 0; t < 100000; ++t) {
    Bytes b(rng() % 40);
    for (auto& x : b) x = uint8_t(rng() % 4 == 0 ? 0x81 : rng());  // many fake tags
    if (b.size() > 13 && t % 2) {
      b[12] = 0x81;
      b[13] = 0x00;
    }
    auto eth = EtherView::parse(b);
    if (eth) {
      ASSERT_LE(eth->header_len(), b.size());
      ASSERT_LE(eth->vlan_count(), 2);
      (void)eth->ethertype();
    }
  }
}

TEST(Arp, HandWrittenRequest) {
  Bytes f = kArpRequest;
  auto eth = EtherView::parse(f);
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->ethertype(), ethertype::Arp);
  auto arp = ArpView::parse(eth->payload());
  ASSERT_TRUE(arp);
  EXPECT_EQ(arp->op(), ArpView::kRequest);
  EXPECT_EQ(arp->sender_mac(), (Mac{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}));
  EXPECT_EQ(arp->sender_ip().str(), "192.168.1.100");
  EXPECT_EQ(arp->target_mac(), Mac{});
  EXPECT_EQ(arp->target_ip().str(), "192.168.1.1");
}

TEST(Arp, BuilderMatchesHandWritten) {
  Bytes built = build_arp_request({0x00, 0x11, 0x22, 0x33, 0x44, 0x55},
                                  *Addr::parse("192.168.1.100"), *Addr::parse("192.168.1.1"));
  EXPECT_EQ(built, kArpRequest);
}

TEST(Arp, ReplyAndSetters) {
  Mac me{2, 0, 0, 0, 0, 1}, peer{2, 0, 0, 0, 0, 2};
  uint16_t vlan[] = {30};
  Bytes f = build_arp_reply(me, *Addr::parse("10.0.0.1"), peer, *Addr::parse("10.0.0.2"), vlan);
  auto eth = EtherView::parse(f);
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->vlan_id(0), 30);
  EXPECT_EQ(eth->dst(), peer);
  auto arp = ArpView::parse(eth->payload());
  ASSERT_TRUE(arp);
  EXPECT_EQ(arp->op(), ArpView::kReply);
  EXPECT_EQ(arp->sender_mac(), me);
  EXPECT_EQ(arp->target_mac(), peer);
  EXPECT_EQ(arp->sender_ip(), *Addr::parse("10.0.0.1"));
  // Turn it around, as a responder would.
  arp->set_op(ArpView::kRequest);
  arp->set_sender_mac(peer);
  arp->set_target_mac(me);
  arp->set_sender_ip(*Addr::parse("10.9.9.9"));
  arp->set_target_ip(*Addr::parse("10.8.8.8"));
  EXPECT_EQ(arp->op(), 1);
  EXPECT_EQ(arp->sender_mac(), peer);
  EXPECT_EQ(arp->target_mac(), me);
  EXPECT_EQ(arp->sender_ip().str(), "10.9.9.9");
  EXPECT_EQ(arp->target_ip().str(), "10.8.8.8");
}

TEST(Arp, TruncationAndUnsupported) {
  Bytes body(kArpRequest.begin() + 14, kArpRequest.end());
  for (size_t n = 0; n < body.size(); ++n) {
    Bytes cut(body.begin(), body.begin() + n);
    EXPECT_EQ(ArpView::parse(cut).error(), ParseError::Truncated) << n;
  }
  EXPECT_TRUE(ArpView::parse(body));
  Bytes padded = body;
  padded.resize(46);  // Ethernet minimum padding is not part of the view
  EXPECT_EQ(ArpView::parse(padded)->bytes().size(), 28u);
  for (size_t i : {1, 3, 4, 5}) {  // htype, ptype, hlen, plen
    Bytes bad = body;
    bad[i] ^= 0x10;
    EXPECT_EQ(ArpView::parse(bad).error(), ParseError::Unsupported) << i;
  }
}

}  // namespace
}  // namespace ulvs::net
