// engine_fixture.h — an Engine plus helpers to speak to it in packets: syn(), ack(), reply().
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "ipvs/engine.h"

namespace ulvs::ipvs::testing {

inline net::Endpoint EP(const char* s) { return *net::Endpoint::parse(s); }
inline net::Addr IP(const char* s) { return *net::Addr::parse(s); }

// A TCP SYN from `from` to `to` ("addr:port" or "[v6]:port").
inline PacketMeta syn_meta(const char* from, const char* to, uint32_t fwmark = 0) {
  auto s = EP(from), d = EP(to);
  PacketMeta p;
  p.saddr = s.addr;
  p.sport = s.port;
  p.daddr = d.addr;
  p.dport = d.port;
  p.tcp_flags = tcp::kSyn;
  p.length = 60;
  p.fwmark = fwmark;
  return p;
}

class EngineTest : public ::testing::Test {
 protected:
  Engine e{{.max_conns = 4096, .hash_seed = 1}};
  TimeMs now = 1000;

  ServiceKey tcp(const char* vip) {
    auto ep = EP(vip);
    return {ep.addr.family, proto::kTcp, ep.addr, ep.port, 0};
  }
  ServiceKey udp(const char* vip) {
    auto k = tcp(vip);
    k.protocol = proto::kUdp;
    return k;
  }
  void service(const ServiceKey& k, const std::string& sched = "rr", uint32_t flags = 0,
               uint32_t timeout = 0, uint32_t netmask = 0xFFFFFFFF) {
    ServiceConfig cfg{k, sched, flags, timeout, netmask, {}};
    ASSERT_EQ(e.add_service(cfg), 0);
  }
  Dest& dest(const ServiceKey& k, const char* rs, int weight = 1, Fwd fwd = Fwd::Masq,
             uint32_t upper = 0, uint32_t lower = 0) {
    DestConfig dc;
    dc.ep = EP(rs);
    dc.fwd = fwd;
    dc.weight = weight;
    dc.u_threshold = upper;
    dc.l_threshold = lower;
    EXPECT_EQ(e.add_dest(k, dc), 0);
    return *e.find_service(k)->find_dest(dc.ep);
  }

  PacketMeta pkt(const char* from, const char* to, uint8_t flags, uint8_t protocol = proto::kTcp) {
    PacketMeta p = syn_meta(from, to);
    p.protocol = protocol;
    p.tcp_flags = flags;
    return p;
  }
  Decision send(const char* from, const char* to, uint8_t flags, uint8_t protocol = proto::kTcp) {
    return e.process(pkt(from, to, flags, protocol), now);
  }
  Decision syn(const char* from, const char* to) { return send(from, to, tcp::kSyn); }
  Decision ack(const char* from, const char* to) { return send(from, to, tcp::kAck); }
  Decision udp_send(const char* from, const char* to) { return send(from, to, 0, proto::kUdp); }

  // Which real server (addr:port) a decision sends the packet to, "-" if none.
  static std::string to(const Decision& d) {
    if (d.verdict != Verdict::Forward || !d.conn) return "-";
    return net::Endpoint{d.conn->real(), d.conn->dport}.str();
  }

  void advance(TimeMs ms) {
    for (TimeMs end = now + ms; now < end;) {
      now = std::min(end, now + 100);
      e.tick(now);
    }
  }
};

}  // namespace ulvs::ipvs::testing
