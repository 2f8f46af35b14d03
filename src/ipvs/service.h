// service.h — a virtual service: <protocol, VIP, port> or a firewall mark, its scheduler,
// persistence settings and its real servers in kernel list order.
//
// Real servers are owned here.  A deleted real server that connections still use moves to
// the trash (AVAILABLE cleared) and is revived with its counters if re-added, as the kernel
// does; purge_trash() frees it once nothing has referenced it for the trash period.
//
//   Service svc(cfg, std::move(scheduler));
//   svc.add_dest({.ep = *net::Endpoint::parse("10.0.0.2:80"), .weight = 3});
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ipvs/clock.h"
#include "ipvs/dest.h"
#include "ipvs/stats.h"
#include "net/addr.h"
#include "sched/scheduler.h"

namespace ulvs::ipvs {

namespace proto {
constexpr uint8_t kTcp = 6, kUdp = 17, kSctp = 132;
}

// The key a service is found by.  fwmark != 0: a firewall-mark service (addr/port unused,
// protocol 0; `family` still tells IPv4 from IPv6 as ipvsadm -f ... -6 does).
struct ServiceKey {
  net::Family family = net::Family::V4;
  uint8_t protocol = proto::kTcp;
  net::Addr addr;
  uint16_t port = 0;
  uint32_t fwmark = 0;

  bool is_fwmark() const { return fwmark != 0; }
  friend bool operator==(const ServiceKey&, const ServiceKey&) = default;
};

// Service flags as the kernel numbers them (IP_VS_SVC_F_*).
namespace svc_flag {
constexpr uint32_t kPersistent = 0x0001;
constexpr uint32_t kOnePacket = 0x0004;
constexpr uint32_t kSched1 = 0x0008;  // sh-fallback / mh-fallback
constexpr uint32_t kSched2 = 0x0010;  // sh-port / mh-port
constexpr uint32_t kSched3 = 0x0020;
}  // namespace svc_flag

constexpr uint32_t kDefaultPersistence = 360;  // seconds: ipvsadm's -p without a value

// How a service hands the client's address to its real servers when the director rewrites
// the source (FULLNAT): a TCP option (TOA) or a PROXY protocol header.  ulvs extension
// (ulvsadm --toa / --proxy-protocol v1|v2); the control plane stores and lists it, the data
// plane applies it (to come).
enum class ClientAddr : uint8_t { None, Toa, ProxyV1, ProxyV2 };

struct ServiceConfig {
  ServiceKey key;
  std::string scheduler = "wlc";
  uint32_t flags = 0;
  uint32_t timeout_s = 0;           // persistence timeout (with kPersistent)
  uint32_t netmask = 0xFFFFFFFFu;   // IPv4 mask (host order) or IPv6 prefix length
  std::string pe_name;              // persistence engine ("sip"), kept for listing only
  ClientAddr client_addr = ClientAddr::None;

  bool persistent() const { return flags & svc_flag::kPersistent; }
  sched::SchedFlags sched_flags() const {
    return {bool(flags & svc_flag::kSched1), bool(flags & svc_flag::kSched2)};
  }
};

class Service {
 public:
  Service(ServiceConfig cfg, std::unique_ptr<sched::Scheduler> scheduler);
  ~Service();

  const ServiceConfig& config() const { return cfg_; }
  const ServiceKey& key() const { return cfg_.key; }
  sched::Scheduler& scheduler() { return *sched_; }
  // -E: new settings and possibly a new scheduler (nullptr keeps the current one).
  int edit(const ServiceConfig& cfg, std::unique_ptr<sched::Scheduler> scheduler);

  // Kernel list order: [0] is the most recently added real server.
  sched::DestList dests() const { return sched::DestList(list_.data(), list_.size()); }
  Dest* find_dest(const net::Endpoint& ep) const;

  // 0 or a negative errno as the kernel returns it (-EEXIST, -ENOENT, -ERANGE).
  int add_dest(const DestConfig& dc, TimeMs now);
  int edit_dest(const DestConfig& dc);
  int del_dest(const net::Endpoint& ep, TimeMs now);
  void del_all_dests(TimeMs now);

  Dest* schedule(const sched::PacketKey& pkt, TimeMs now) {
    return sched_->schedule(dests(), pkt, now);
  }

  // Frees trashed real servers unreferenced for 120 s or more (IP_VS_DEST_TRASH_PERIOD).
  // Returns how many destinations left the trash.
  size_t purge_trash(TimeMs now);
  size_t trash_size() const { return trash_.size(); }
  // Deleted real servers that connections may still use (the data plane keeps steering
  // their replies until the trash lets them go).
  template <class F>
  void for_each_trashed(F&& f) const {
    for (const auto& t : trash_) f(*t.dest);
  }

  Stats stats;
  uint32_t refcnt = 0;  // entries that point at it through their dest (kept alive while > 0)

 private:
  struct Trashed {
    std::unique_ptr<Dest> dest;
    TimeMs unreferenced_since = -1;
  };

  ServiceConfig cfg_;
  std::unique_ptr<sched::Scheduler> sched_;
  std::vector<Dest*> list_;
  std::vector<std::unique_ptr<Dest>> owned_;
  std::vector<Trashed> trash_;
};

}  // namespace ulvs::ipvs
