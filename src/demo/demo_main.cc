// ulvs-demo — pushes synthetic traffic through the engine and prints what a director shows.
//
// Until the packet data plane exists, this is the main job in miniature: three virtual
// services (NAT with wlc, persistent DR with rr, UDP with one-packet scheduling), a few
// thousand simulated clients opening, using and closing connections over simulated time,
// then an ipvsadm-style listing with --stats and --rate, and the engine's drop counters.
#include <cinttypes>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "ipvs/engine.h"

using namespace ulvs;
using namespace ulvs::ipvs;

namespace {

net::Endpoint EP(const char* s) { return *net::Endpoint::parse(s); }

ServiceKey key(uint8_t protocol, const char* vip) {
  auto ep = EP(vip);
  return {ep.addr.family, protocol, ep.addr, ep.port, 0};
}

const char* fwd_name(Fwd f) {
  switch (f) {
    case Fwd::Masq: return "Masq";
    case Fwd::Route: return "Route";
    case Fwd::Tunnel: return "Tunnel";
    case Fwd::Local: return "Local";
    case Fwd::FullNat: return "FullNat";
    default: return "Bypass";
  }
}

std::string svc_name(const Service& s) {
  const ServiceKey& k = s.key();
  std::string proto = k.protocol == proto::kUdp ? "UDP " : "TCP ";
  return proto + " " + net::Endpoint{k.addr, k.port}.str();
}

void list(Engine& e) {
  std::printf("Prot LocalAddress:Port Scheduler Flags\n");
  std::printf("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
  for (auto& s : e.services()) {
    const ServiceConfig& c = s->config();
    std::string flags = c.persistent() ? " persistent " + std::to_string(c.timeout_s) : "";
    if (c.flags & svc_flag::kOnePacket) flags += " ops";
    std::printf("%s %s%s\n", svc_name(*s).c_str(), c.scheduler.c_str(), flags.c_str());
    for (Dest* d : s->dests())
      std::printf("  -> %-28s %-7s %-6d %-10u %-10u\n", d->cfg.ep.str().c_str(),
                  fwd_name(d->cfg.fwd), d->weight(), d->activeconns, d->inactconns);
  }
}

// --stats (counters) or --rate (rates): one row per service and per real server.
void list_numbers(Engine& e, const char* title, bool rates) {
  std::printf("%s\n  -> RemoteAddress:Port\n", title);
  auto row = [&](const std::string& name, const Stats& st) {
    Counters c = st.shown();
    Rates r = st.rates();
    const uint64_t counters[5] = {c.conns, c.inpkts, c.outpkts, c.inbytes, c.outbytes};
    const uint64_t per_second[5] = {r.cps, r.inpps, r.outpps, r.inbps, r.outbps};
    const uint64_t* v = rates ? per_second : counters;
    std::printf("%-33s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n",
                name.c_str(), v[0], v[1], v[2], v[3], v[4]);
  };
  for (auto& s : e.services()) {
    row(svc_name(*s), s->stats);
    for (Dest* d : s->dests()) row("  -> " + d->cfg.ep.str(), d->stats);
  }
}

// One simulated TCP connection through a NAT service: handshake, a request, a response,
// and a close initiated by the client.
struct Flow {
  PacketMeta in, out;
  int step = 0;
  bool nat = true;
};

}  // namespace

int main() {
  Engine e({.max_conns = 1 << 16});
  ServiceKey web = key(proto::kTcp, "10.0.0.100:80");
  ServiceKey shop = key(proto::kTcp, "10.0.0.100:443");
  ServiceKey dns = key(proto::kUdp, "10.0.0.100:53");
  e.add_service({web, "wlc", 0, 0, 0xFFFFFFFF, {}});
  e.add_service({shop, "rr", svc_flag::kPersistent, 0, 0xFFFFFF00, {}});
  e.add_service({dns, "rr", svc_flag::kOnePacket, 0, 0xFFFFFFFF, {}});
  const char* web_rs[] = {"192.168.10.1:8080", "192.168.10.2:8080", "192.168.10.3:8080"};
  for (int i = 0; i < 3; ++i) e.add_dest(web, {.ep = EP(web_rs[i]), .fwd = Fwd::Masq, .weight = 3 - i});
  e.add_dest(shop, {.ep = EP("192.168.10.1:443"), .fwd = Fwd::Route});
  e.add_dest(shop, {.ep = EP("192.168.10.2:443"), .fwd = Fwd::Route});
  e.add_dest(dns, {.ep = EP("192.168.10.4:53")});
  e.add_dest(dns, {.ep = EP("192.168.10.5:53")});

  std::mt19937 rng(42);
  std::vector<Flow> flows;
  TimeMs now = 0;
  uint64_t forwarded = 0, replied = 0;
  // 20 simulated seconds: ~250 new connections per second, each lives a few hundred ms.
  for (int ms = 0; ms < 20000; ms += 10) {
    now = ms;
    for (int n = 0; n < 2 + int(rng() % 2); ++n) {
      Flow f;
      uint32_t client = 0x0B000000u + rng() % 5000;  // 11.0.x.y
      bool to_shop = rng() % 4 == 0;
      f.in.protocol = proto::kTcp;
      f.in.saddr = net::Addr::v4(client);
      f.in.sport = 1024 + rng() % 60000;
      f.in.daddr = web.addr;
      f.in.dport = to_shop ? 443 : 80;
      f.nat = !to_shop;
      flows.push_back(f);
    }
    for (int n = 0; n < 1; ++n) {  // a DNS query every 10 ms
      PacketMeta q{proto::kUdp, net::Addr::v4(0x0B000000u + rng() % 5000), dns.addr,
                   uint16_t(1024 + rng() % 60000), 53, 0, 70, 0};
      if (e.process(q, now).verdict == Verdict::Forward) ++forwarded;
    }
    // Advance every flow by one step: SYN, (SYN+ACK), ACK, data, (data back), FIN, (FIN), ACK.
    for (auto& f : flows) {
      static const uint8_t in_flags[] = {tcp::kSyn, tcp::kAck, tcp::kAck | tcp::kPsh,
                                         tcp::kFin | tcp::kAck, tcp::kAck};
      static const uint8_t out_flags[] = {tcp::kSyn | tcp::kAck, 0, tcp::kAck | tcp::kPsh,
                                          tcp::kFin | tcp::kAck, 0};
      if (f.step >= 5) continue;
      f.in.tcp_flags = in_flags[f.step];
      f.in.length = f.step == 2 ? 400 : 52;
      Decision d = e.process(f.in, now);
      if (d.verdict == Verdict::Forward) ++forwarded;
      if (f.nat && d.conn && out_flags[f.step]) {
        PacketMeta r{proto::kTcp, d.conn->real(), f.in.saddr, d.conn->dport, f.in.sport,
                     out_flags[f.step], f.step == 2 ? 1400u : 52u, 0};
        if (e.process(r, now).verdict == Verdict::Reply) ++replied;
      }
      ++f.step;
    }
    std::erase_if(flows, [](const Flow& f) { return f.step >= 5; });
    e.tick(now);
  }

  std::printf("ulvs engine demo: 20 s of simulated traffic, %" PRIu64 " packets forwarded, %" PRIu64
              " replies\n\n", forwarded, replied);
  std::printf("IP Virtual Server version 1.2.1 (size=4096)\n");
  list(e);
  std::printf("\n");
  list_numbers(e, "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
               false);
  std::printf("\n");
  list_numbers(e, "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS",
               true);
  const EngineCounters& c = e.counters();
  std::printf("\nconnection entries: %u of %u; drops: table full %" PRIu64 ", no dest %" PRIu64
              ", dest unavailable %" PRIu64 "; passed to host %" PRIu64 "\n",
              e.conns().size(), e.conns().capacity(), c.table_full, c.no_dest,
              c.dest_unavailable, c.passed);
  return 0;
}
