// pipeline_test_util.h — a two-interface director for the pipeline tests:
//   if 1 "outside" 10.0.0.1 / 2001:db8::1, clients behind gateway 10.0.0.254 / 2001:db8::fe
//   if 2 "inside"  192.168.10.1 / fd00:10::1, real servers on-link (192.168.10.0/24, fd00:10::/64)
// with fake Routes and Neighbours and a real Engine.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <utility>
#include <vector>

#include "../xmit/xmit_test_util.h"  // TestFrame, checksums_ok (full recomputation)
#include "dataplane/pipeline.h"
#include "net/builder.h"

namespace ulvs::dataplane::test {

using xmit::test::A;
using xmit::test::Bytes;
using xmit::test::TestFrame;

inline const net::Mac kOutMac{0x02, 0, 0, 0, 0x01, 0x01};
inline const net::Mac kInMac{0x02, 0, 0, 0, 0x02, 0x02};
inline const net::Mac kGwMac{0x02, 0, 0, 0, 0x01, 0xfe};
inline const net::Mac kRsMac{0x02, 0, 0, 0, 0x0a, 0x02};

class FakeRoutes : public Routes {
 public:
  std::optional<NextHop> lookup(const net::Addr& dst) const override {
    bool inside = dst.is_v4() ? (dst.v4_host() >> 8) == 0xC0A80A  // 192.168.10.0/24
                              : dst.bytes[0] == 0xfd && dst.bytes[1] == 0x00;
    if (inside) return NextHop{2, dst};
    if (dst.is_v4() && dst.v4_host() >> 24 == 9) return std::nullopt;  // 9/8: no route
    return NextHop{1, dst.is_v4() ? A("10.0.0.254") : A("2001:db8::fe")};
  }
};

class FakeNeighbours : public Neighbours {
 public:
  std::map<std::pair<uint32_t, net::Addr>, net::Mac> known;
  std::vector<net::Addr> learned;
  std::optional<net::Mac> lookup(uint32_t iface, const net::Addr& a) override {
    auto it = known.find({iface, a});
    if (it == known.end()) return std::nullopt;
    return it->second;
  }
  void learn(uint32_t, const net::Addr& a, const net::Mac&) override { learned.push_back(a); }
};

struct Director : ::testing::Test {
  ipvs::Engine engine{{.max_conns = 1024, .hash_seed = 1}};
  FakeRoutes routes;
  FakeNeighbours neigh;
  Context ctx;
  Pipeline pipe{engine, ctx};
  std::vector<TestFrame> frames;  // keeps every processed buffer alive for inspection
  ipvs::TimeMs now = 1000;

  net::Addr client = A("1.1.1.1"), vip = A("10.0.0.100"), rs = A("192.168.10.2");

  Director() {
    ctx.interfaces = {{.index = 1, .mac = kOutMac, .addrs = {A("10.0.0.1"), A("2001:db8::1")}},
                      {.index = 2, .mac = kInMac, .addrs = {A("192.168.10.1"), A("fd00:10::1")}}};
    ctx.routes = &routes;
    ctx.neighbours = &neigh;
    neigh.known[{1, A("10.0.0.254")}] = kGwMac;
    neigh.known[{1, A("2001:db8::fe")}] = kGwMac;
    for (const char* r : {"192.168.10.2", "192.168.10.3", "fd00:10::2"}) neigh.known[{2, A(r)}] = kRsMac;
  }

  ipvs::ServiceKey add_service(const net::Addr& addr, uint16_t port, ipvs::Fwd fwd,
                               const net::Addr& real, uint16_t rport,
                               ipvs::ClientAddr ca = ipvs::ClientAddr::None, uint8_t proto = 6) {
    ipvs::ServiceKey key{.family = addr.family, .protocol = proto, .addr = addr, .port = port};
    EXPECT_EQ(engine.add_service({.key = key, .scheduler = "rr", .client_addr = ca}), 0);
    if (!real.is_zero()) {
      EXPECT_EQ(engine.add_dest(key, {.ep = {real, rport}, .fwd = fwd}), 0);
    }
    ctx.refresh_vips(engine);
    return key;
  }

  // Runs one frame received on `ingress`; the buffer stays in frames.back().
  std::vector<Action> run(const Bytes& frame, uint32_t ingress = 1) {
    frames.emplace_back(frame, 128, 128);
    std::vector<Action> out;
    pipe.process(frames.back().buf, ingress, now, out);
    now += 10;
    return out;
  }
  Bytes sent(const Action& a) const {
    auto b = a.bytes(frames.back().buf);
    return Bytes(b.begin(), b.end());
  }

  // A frame from the client's gateway to us on the outside.
  static net::FrameSpec from_client(const net::Addr& src, const net::Addr& dst) {
    return {.src_mac = kGwMac, .dst_mac = kOutMac, .src = src, .dst = dst};
  }
  static net::FrameSpec from_server(const net::Addr& src, const net::Addr& dst) {
    return {.src_mac = kRsMac, .dst_mac = kInMac, .src = src, .dst = dst};
  }
};

inline net::Mac eth_dst(const Bytes& f) { return {f[0], f[1], f[2], f[3], f[4], f[5]}; }
inline net::Mac eth_src(const Bytes& f) { return {f[6], f[7], f[8], f[9], f[10], f[11]}; }
inline net::ParsedFrame parse(Bytes& f) { return net::parse_frame(f); }

}  // namespace ulvs::dataplane::test
