// Every forwarding function on randomly corrupted frames: a status, never a crash or an
// out-of-bounds access (run under -DULVS_SANITIZE=ON to have ASan check the latter).
#include <gtest/gtest.h>

#include <random>

#include "xmit/dr.h"
#include "xmit/fullnat.h"
#include "xmit/nat.h"
#include "xmit/toa.h"
#include "xmit/too_big.h"
#include "xmit/tun.h"
#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

namespace {

std::vector<Bytes> seeds() {
  std::vector<Bytes> out;
  for (auto v : all_variants()) {
    Flow fl = flow(v.fam);
    out.push_back(make_frame(v, fl.client, fl.cport, fl.vip, fl.vport));
    Bytes reply = ip_packet(make_frame({v.fam, v.proto, 0, v.ip_options}, fl.vip, fl.vport, fl.client, fl.cport));
    out.push_back(net::build_icmp({.src = fl.client, .dst = fl.vip},
                                  {.type = uint8_t(v.fam == net::Family::V4 ? 3 : 1), .payload = reply}));
  }
  return out;
}

void run_all(const Bytes& frame, const ipvs::Conn& c, const Flow& fl) {
  auto each = [&](auto&& fn) {
    TestFrame t(frame, 64, 64);
    fn(t.buf, t.parse());
  };
  each([&](PacketBuf& b, const net::ParsedFrame& p) { nat_in(b, p, c); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { nat_out(b, p, c); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { nat_icmp_in(b, p, c); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { nat_icmp_out(b, p, c); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { fullnat_in(b, p, c, fl.local); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { fullnat_out(b, p, c, fl.local); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { fullnat_icmp_in(b, p, c, fl.local); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { fullnat_icmp_out(b, p, c, fl.local); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { toa_insert(b, p, fl.client, fl.cport, 1500); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { mss_clamp(b, p, 8); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { dr_xmit(b, {}, {}); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { tun_decap(b, 6080); });
  each([&](PacketBuf& b, const net::ParsedFrame& p) { build_frag_needed(b.bytes(), p, 1280); });
  for (auto type : {ipvs::TunType::Ipip, ipvs::TunType::Gue, ipvs::TunType::Gre})
    each([&](PacketBuf& b, const net::ParsedFrame& p) {
      TunParams t{.real = fl.real, .local = fl.local, .type = type, .port = 6080, .mtu = 1500};
      if (tun_xmit(b, p, t).status == Status::Ok) {
        EXPECT_EQ(tun_decap(b, 6080), Status::Ok);
      }
    });
}

}  // namespace

TEST(Robustness, CorruptedFramesNeverCrash) {
  std::mt19937 rng(42);
  for (const Bytes& seed : seeds()) {
    net::Family fam = net::parse_frame(std::span(const_cast<Bytes&>(seed))).family();
    Flow fl = flow(fam);
    ipvs::Conn c = make_conn(fl);
    for (int round = 0; round < 300; ++round) {
      Bytes f = seed;
      int flips = 1 + int(rng() % 4);
      for (int i = 0; i < flips; ++i) f[rng() % f.size()] = uint8_t(rng());
      if (rng() % 4 == 0) f.resize(rng() % f.size());
      run_all(f, c, fl);
    }
  }
}
