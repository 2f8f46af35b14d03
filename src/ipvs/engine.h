// engine.h — the IPVS core: services, real servers, connections, state and statistics.
//
// The engine takes packet metadata and time, and answers what to do with the packet; it does
// no I/O, so the whole of IPVS's behaviour is testable without a network.  The data plane
// parses a frame, calls process(), then rewrites and transmits according to the decision.
//
//   Engine e({.max_conns = 1 << 20});
//   e.add_service({.key = {.protocol = proto::kTcp, .addr = vip, .port = 80}, .scheduler = "rr"});
//   e.add_dest(key, {.ep = rs1, .fwd = Fwd::Masq});
//   Decision d = e.process(pkt, now_ms);    // d.verdict == Verdict::Forward, d.conn->real()
//   e.tick(now_ms);                          // timers, rate estimation, GC
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "ipvs/conn_table.h"
#include "ipvs/service.h"
#include "ipvs/stats.h"
#include "ipvs/sysctl.h"

namespace ulvs::ipvs {

// What the data plane extracted from a packet's headers.
struct PacketMeta {
  uint8_t protocol = proto::kTcp;
  net::Addr saddr, daddr;
  uint16_t sport = 0, dport = 0;  // host order
  uint8_t tcp_flags = 0;
  uint32_t length = 0;            // IP packet length (header included), for the byte counters
  uint32_t fwmark = 0;
};

enum class Verdict : uint8_t {
  Pass,         // not ours: hand it to the host's stack untouched
  Forward,      // client -> real server through conn (rewrite per conn->fwd())
  Reply,        // real server -> client through conn (NAT/FULLNAT: rewrite back)
  Drop,         // counted in Counters by reason
  Unreachable,  // no real server: answer ICMP port unreachable, drop
};

enum class DropReason : uint8_t { None, TableFull, DestUnavailable, NoLocalPort };

struct Decision {
  Verdict verdict = Verdict::Pass;
  DropReason reason = DropReason::None;
  Conn* conn = nullptr;  // Forward/Reply: valid until the next call into the engine
  TcpState prev_state = TcpState::None;  // Forward/Reply: conn's TCP state before this packet
};

struct EngineOptions {
  uint32_t max_conns = 1 << 20;
  uint64_t hash_seed = 0;  // 0: random
};

// Drops and other events the engine counts (never silent).
struct EngineCounters {
  uint64_t table_full = 0;         // new connection refused: pool exhausted
  uint64_t no_dest = 0;            // service matched, no real server available
  uint64_t dest_unavailable = 0;   // packet of a connection whose real server was deleted
  uint64_t no_local_port = 0;      // FULLNAT: no free local address:port
  uint64_t passed = 0;             // not for a service
};

class Engine {
 public:
  explicit Engine(EngineOptions opt = {});
  ~Engine();

  // ---- control (0 or a negative errno, as the kernel answers ipvsadm) ----
  int add_service(const ServiceConfig& cfg);
  int edit_service(const ServiceConfig& cfg);
  int del_service(const ServiceKey& key);
  void flush();
  int add_dest(const ServiceKey& key, const DestConfig& dc);
  int edit_dest(const ServiceKey& key, const DestConfig& dc);
  int del_dest(const ServiceKey& key, const net::Endpoint& ep);
  int zero(const ServiceKey* key);  // nullptr: everything
  Sysctl& sysctl() { return sysctl_; }
  // After changing sysctl().lblc(r)_expiration: the running schedulers take the new values.
  void sysctl_changed();
  void set_fullnat_locals(std::vector<net::Addr> addrs);

  Service* find_service(const ServiceKey& key) const;
  // Services in the order they were added.
  const std::vector<std::unique_ptr<Service>>& services() const { return services_; }
  // Deleted services still referenced by connections.
  const std::vector<std::unique_ptr<Service>>& trashed_services() const { return svc_trash_; }
  // Counts the trash purges that removed something: what the director serves shrank
  // without a control request (the data plane's steering follows it).
  uint64_t purge_generation() const { return purges_; }

  // ---- data path ----
  Decision process(const PacketMeta& pkt, TimeMs now);
  // Timers, rate estimation, scheduler and trash GC.  Call at least every 100 ms.
  void tick(TimeMs now);

  // ---- related packets: ICMP errors and IP fragments (icmp_lookup.cc) ----
  // The connection an ICMP error is about, found from the packet it quotes (protocol,
  // addresses and ports as quoted).  A quote of what the director sent to the client
  // (VIP:vport → client:cport, any method) is from the client side; a quote of what it sent
  // to a real server (client:cport → RS:dport for NAT, local:lport → RS:dport for FULLNAT) is
  // from the server side.  Never creates, re-arms or changes the state of an entry.
  struct IcmpHit {
    Conn* conn = nullptr;  // nullptr: unrelated; valid until the next call into the engine
    bool from_client = false;
  };
  IcmpHit find_for_icmp(uint8_t protocol, const net::Addr& qsrc, uint16_t qsport,
                        const net::Addr& qdst, uint16_t qdport);
  // A relayed ICMP error counts in the connection's stats (spec §4.3, §5.1): client side →
  // in-packets, server side → out-packets; `bytes` = the ICMP packet's IP length.
  void count_related(Conn& c, bool from_client, uint32_t bytes);
  // A later fragment of a datagram whose first fragment went through process(): its bytes
  // (not a packet) join the counters, so the totals equal the reassembled datagram's.
  void count_fragment(Conn& c, bool reply, uint32_t bytes);
  // `a` is the address of a NAT or FULLNAT real server of some service (linear in dests;
  // for the rare early fragment only).
  bool is_masq_real_server(const net::Addr& a) const;

  ConnTable& conns() { return table_; }
  const ConnTable& conns() const { return table_; }
  const Stats& total() const { return total_; }
  const EngineCounters& counters() const { return counters_; }

 private:
  struct KeyHash {
    size_t operator()(const ServiceKey& k) const;
  };

  Service* lookup_service(const PacketMeta& pkt) const;
  Decision in_existing(Conn& c, const PacketMeta& pkt, TimeMs now);
  Decision forward(Conn& c, const PacketMeta& pkt, TimeMs now);
  Decision out_existing(Conn& c, const PacketMeta& pkt, TimeMs now);
  Decision in_new(const PacketMeta& pkt, TimeMs now);
  bool may_create(const PacketMeta& pkt) const;
  bool reuse_expires(Conn& c, const PacketMeta& pkt);
  Conn* schedule(Service& svc, const PacketMeta& pkt, TimeMs now, Decision& fail);
  Conn* schedule_persistent(Service& svc, const PacketMeta& pkt, TimeMs now, Decision& fail);
  Conn* new_conn(Service& svc, Dest& dest, const PacketMeta& pkt, uint16_t dport, TimeMs now,
                 Decision& fail);
  bool template_valid(const Conn& ct) const;
  bool assign_local(Conn& c);

  void bind(Conn& c, Dest& d);
  void unbind(Conn& c);
  void set_state(Conn& c, tcp::Dir dir, const PacketMeta& pkt);
  void on_expire(Conn& c, TimeMs now);
  void release(Conn& c);
  void release_pending();
  void count_in(Conn& c, uint32_t bytes);
  void count_out(Conn& c, uint32_t bytes);

  Sysctl sysctl_;
  ConnTable table_;
  std::vector<std::unique_ptr<Service>> services_;
  std::unordered_map<ServiceKey, Service*, KeyHash> by_key_;
  std::vector<std::unique_ptr<Service>> svc_trash_;  // deleted, still referenced
  uint32_t port0_services_ = 0;
  Stats total_;
  EngineCounters counters_;
  ConnId pending_free_ = kNoConn;  // a one-packet entry, released at the next call
  uint32_t next_lport_ = 0;
  TimeMs last_estimate_ = 0, last_sched_tick_ = 0, last_purge_ = 0;
  uint64_t purges_ = 0;
};

}  // namespace ulvs::ipvs
