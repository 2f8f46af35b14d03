// Malformed frames are counted drops, never crashes: truncations of every valid frame kind and
// random bytes, run under ASan/UBSan in CI.
#include <gtest/gtest.h>

#include <random>

#include "dataplane/pipeline.h"
#include "pipeline_test_util.h"

using namespace ulvs;
using namespace ulvs::dataplane;
using namespace ulvs::dataplane::test;

namespace {
constexpr uint8_t SYN = net::tcp_flag::SYN;
}

TEST_F(Director, TruncatedFrameIsDroppedAsMalformed) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  Bytes syn = net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN});
  auto out = run(Bytes(syn.begin(), syn.begin() + 40));  // IP header claims more than there is
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, Action::Drop);
  EXPECT_EQ(out[0].cause, DropCause::Malformed);
  EXPECT_EQ(pipe.counters().dropped(DropCause::Malformed), 1u);
}

TEST_F(Director, EveryPrefixOfEveryKindNeverCrashes) {
  ctx.locals = {A("192.168.10.50")};
  engine.set_fullnat_locals(ctx.locals);
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  add_service(vip, 81, ipvs::Fwd::Tunnel, rs, 81);
  add_service(vip, 82, ipvs::Fwd::FullNat, rs, 8080, ipvs::ClientAddr::Toa);
  std::vector<Bytes> kinds;
  for (uint16_t port : {80, 81, 82}) {
    kinds.push_back(net::build_tcp(from_client(client, vip), {.src_port = 4000, .dst_port = port, .flags = SYN}));
    kinds.push_back(net::build_tcp(from_client(client, vip), {.src_port = 4000, .dst_port = port}));
  }
  kinds.push_back(net::build_arp_request(kGwMac, A("10.0.0.254"), vip));
  kinds.push_back(net::build_icmp_echo(from_client(client, vip), false, 1, 1));
  for (const Bytes& k : kinds)
    for (size_t n = 0; n <= k.size(); ++n) {
      auto out = run(Bytes(k.begin(), k.begin() + n));
      EXPECT_FALSE(out.empty());
    }
}

TEST_F(Director, RandomBytesNeverCrash) {
  add_service(vip, 80, ipvs::Fwd::Masq, rs, 8080);
  std::mt19937 rng(42);
  Bytes syn = net::build_tcp(from_client(client, vip), {.src_port = 40000, .dst_port = 80, .flags = SYN});
  for (int i = 0; i < 20000; ++i) {
    Bytes f;
    if (i % 2) {  // pure noise
      f.resize(rng() % 200);
      for (auto& b : f) b = uint8_t(rng());
    } else {      // a valid frame with a few bytes flipped: gets past the first checks
      f = syn;
      for (int k = 0; k < 3; ++k) f[rng() % f.size()] = uint8_t(rng());
    }
    frames.clear();
    auto out = run(f);
    ASSERT_FALSE(out.empty());
    for (const auto& a : out)
      if (a.kind == Action::Tx) {
        EXPECT_FALSE(a.bytes(frames.back().buf).empty());
      }
  }
  EXPECT_GT(pipe.counters().dropped(DropCause::Malformed), 0u);
}
