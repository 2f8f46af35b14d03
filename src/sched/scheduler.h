// scheduler.h — the one interface every IPVS scheduler implements, as ip_vs_scheduler does.
//
// One Scheduler object is bound to one service and keeps that service's private state (rr's
// cursor, sh's bucket table, lblc's cache ...).  The service calls the hooks when its dest
// list changes and schedule() for each new connection.  `dests` is the service's list in
// kernel order: index 0 is the list head, i.e. the most recently added real server.
//
//   auto s = sched::make("wrr");
//   s->init(dests);
//   ipvs::Dest* d = s->schedule(dests, pkt, now);   // nullptr: no destination available
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ipvs/clock.h"
#include "ipvs/dest.h"
#include "net/addr.h"

namespace ulvs::sched {

using DestList = std::span<ipvs::Dest* const>;

// What a scheduler may look at in the packet that opens a connection.
struct PacketKey {
  uint8_t protocol = 6;   // IPPROTO_TCP / UDP / SCTP
  net::Addr saddr, daddr;
  uint16_t sport = 0, dport = 0;  // host order
  bool inverse = false;   // ICMP-embedded reply: sh/mh hash the destination instead
};

// Service flags that change scheduling (IP_VS_SVC_F_SCHED1/2/3).
struct SchedFlags {
  bool fallback = false;  // sh-fallback / mh-fallback  (SCHED1)
  bool port = false;      // sh-port / mh-port          (SCHED2)
};

// Tunables a few schedulers read (sysctls).
struct SchedSysctl {
  ipvs::TimeMs lblc_expiration = ipvs::seconds(24 * 60 * 60);
  ipvs::TimeMs lblcr_expiration = ipvs::seconds(24 * 60 * 60);
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual std::string_view name() const = 0;

  // Bound to a service (also when the scheduler of a service is changed with -E).
  // Returns 0 or a negative errno (mh with more dests than its table: -EINVAL).
  virtual int init(DestList /*dests*/, SchedFlags /*flags*/) { return 0; }
  virtual void add_dest(DestList /*dests*/, ipvs::Dest& /*added*/) {}
  virtual void del_dest(DestList /*dests*/, ipvs::Dest& /*removed*/) {}
  virtual void upd_dest(DestList /*dests*/, ipvs::Dest& /*edited*/) {}
  // Scheduler flags edited on the service (-E with other --sched-flags).
  virtual void set_flags(DestList /*dests*/, SchedFlags /*flags*/) {}

  // A deleted real server is about to be freed: drop every reference still held to it
  // (lblc/lblcr caches, an mh table that could not be rebuilt).
  virtual void forget(const ipvs::Dest& /*gone*/) {}

  virtual ipvs::Dest* schedule(DestList dests, const PacketKey& pkt, ipvs::TimeMs now) = 0;

  // Periodic work (lblc/lblcr garbage collection); called at least once a second.
  virtual void tick(ipvs::TimeMs /*now*/) {}

  // The sysctls changed (ulvsadm --sysctl): lblc/lblcr use the new expirations from now on,
  // as the kernel's read theirs at every use.
  virtual void set_sysctl(const SchedSysctl& /*sysctl*/) {}
};

// Registry: every scheduler ulvs knows, by its ipvsadm name.
std::unique_ptr<Scheduler> make(std::string_view name, const SchedSysctl& sysctl = {});
const std::vector<std::string>& names();

// Factories, one per scheduler file.
std::unique_ptr<Scheduler> make_rr();
std::unique_ptr<Scheduler> make_wrr();
std::unique_ptr<Scheduler> make_lc();
std::unique_ptr<Scheduler> make_wlc();
std::unique_ptr<Scheduler> make_sed();
std::unique_ptr<Scheduler> make_nq();
std::unique_ptr<Scheduler> make_fo();
std::unique_ptr<Scheduler> make_ovf();
std::unique_ptr<Scheduler> make_twos(uint64_t seed = 0);  // seed 0: random
std::unique_ptr<Scheduler> make_lblc(const SchedSysctl& sysctl);
std::unique_ptr<Scheduler> make_lblcr(const SchedSysctl& sysctl);
std::unique_ptr<Scheduler> make_dh();
std::unique_ptr<Scheduler> make_sh();
std::unique_ptr<Scheduler> make_mh();
std::unique_ptr<Scheduler> make_none();

// Shared helpers.
// "Usable for a new connection" as every list-walking scheduler tests it.
inline bool eligible(const ipvs::Dest& d) { return !d.overloaded && d.weight() > 0; }

}  // namespace ulvs::sched
